"""Hostile evidence rendered by secdocs, opened in headless Chromium."""
