"""provenance evidence."""
