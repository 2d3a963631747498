"""Vulnerable groups: gap pages per city and for the network, discovery jobs on microdata and
the groups each city follows (see docs/guide/web-groups.md)."""
