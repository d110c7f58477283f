"""``python -m smartspec`` — the same as the ``smartspec`` command."""

from smartspec.cli import main

if __name__ == "__main__":
    main()
