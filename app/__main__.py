"""``python -m app`` is the same as the ``cove`` command (and the frozen ``Cove``)."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
