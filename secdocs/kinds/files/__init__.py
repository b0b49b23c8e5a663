"""The evidence folder itself: present, missing or partly refused (``collect`` is the kind)."""
