"""venice-tui: a terminal dashboard for the spend of a Venice.ai account."""

__version__ = "0.1.0"
