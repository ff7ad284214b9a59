"""Learning records: what each real-name learner really watched, where to resume, credit hours."""
