"""Framework versions: a framework YAML imported as an immutable, hashed version."""
