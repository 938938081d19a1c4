"""Synthetic but believable usage data, served in the real endpoint's shape."""
