"""The one place that talks to Venice. Imports no Textual (tests/test_import_hygiene.py)."""
