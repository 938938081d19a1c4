"""Everything that is not a screen. Imports no Textual (tests/test_import_hygiene.py)."""
