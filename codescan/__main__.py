"""`python -m codescan` runs the CLI."""
from .cli import main

raise SystemExit(main())
