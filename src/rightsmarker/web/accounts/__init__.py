"""People and their roles: per-city and secretariat memberships; hashed API tokens."""
