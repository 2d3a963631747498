"""Reporting: cycles, one submission per city and cycle, values, comments and the audit log."""
