from venice_tui.cli import main

raise SystemExit(main())
