"""Exit codes other programs rely on (documented in the README)."""

OK = 0
#: API, network or credential trouble; one line on stderr says what to do.
FAILURE = 1
#: Bad arguments: nothing was sent.
USAGE = 2
INTERRUPTED = 130
