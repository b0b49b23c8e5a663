"""Hostile input for secdocs: payloads, a hostile project, and tests that need no browser."""
