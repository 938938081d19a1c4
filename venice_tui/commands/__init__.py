"""One module per subcommand (`report`, `auth`, …): each takes what `cli` resolved and returns
an exit code (see `exits`). None of them imports Textual."""
