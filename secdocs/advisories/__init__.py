"""Security advisories and post-incident reviews: Markdown files with YAML front matter."""
