"""Judging: rubrics, assignment of judges and their scores."""
