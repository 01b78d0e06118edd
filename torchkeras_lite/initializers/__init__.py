"""initializers."""
