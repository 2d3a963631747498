"""Data entry, uploads, submission and review of a city's values (issue 5)."""
