"""sbom evidence."""
