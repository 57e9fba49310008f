"""``python -m app`` is the same as the ``cove`` command (and the frozen ``Cove``).

``python -m app --run-python CONFIG`` is the python tool's sandboxed child, as in the
frozen app (``app.tools.python_child``): checked before anything else is imported.
"""

import sys

if __name__ == "__main__" and sys.argv[1:2] == ["--run-python"]:
    from app.tools import python_child

    raise SystemExit(python_child.main(sys.argv[2:]))

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
