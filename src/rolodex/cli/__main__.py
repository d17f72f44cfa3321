"""`python -m rolodex.cli`, the same as the `rolodex` command."""

from rolodex.cli import main

main()
