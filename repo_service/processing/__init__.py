"""Processing records: the jobs the transcoder runs for each version and what they produced."""
