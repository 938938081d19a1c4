"""The Textual face of venice-tui. Only `cli` imports this package."""
