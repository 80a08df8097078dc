"""`python -m jaga` runs the command line."""

from jaga.cli import main

main()
