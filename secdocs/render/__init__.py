"""Renderers: models in, Markdown/HTML/JSON text out. No MkDocs types here."""
