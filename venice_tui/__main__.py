from venice_tui.entry import main

raise SystemExit(main())
