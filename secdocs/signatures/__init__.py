"""signatures evidence."""
