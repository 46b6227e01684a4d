"""Heat's shared pytest plugin (see README)."""
