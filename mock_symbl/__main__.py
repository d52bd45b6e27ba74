"""`python -m mock_symbl` is the same as the `mock-symbl` console script."""

from mock_symbl.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
