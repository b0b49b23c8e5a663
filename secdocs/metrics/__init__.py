"""The metrics dashboard and the practice coverage matrix, computed from the releases' reports."""
