"""Charts: what to plot (`spec`, `specs`), how plotext draws it (`plotting`)."""
