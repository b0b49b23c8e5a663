"""history evidence."""
