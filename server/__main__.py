"""`python -m server`: the same command line as `neural-playground`."""

from server.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
