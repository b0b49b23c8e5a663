"""The ``advisories`` kind: security advisories and post-incident reviews, Markdown files with
YAML front matter in the folder ``security.advisories`` names (site-wide pages, never per release).

``model`` reads and checks the files, ``collect`` is the kind (the ``advisories`` entry point) and
``render`` draws the advisories page and each release page's advisories section.
"""
