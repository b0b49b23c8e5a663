"""Atheris harnesses for secdocs' parsers (see fuzz/run.py)."""
