"""PyInstaller runtime hook: ``Cove --run-python CONFIG`` is the python tool's sandboxed
child (app/tools/python_child.py), started before anything else of the bundle.

A custom runtime hook runs before PyInstaller's own (pyi_rth_pyside6 imports QtCore
to write Qt's paths, 70-110 ms and Qt's libraries in memory) and before the entry
script: the model's code starts in a bare interpreter, as ``python -I -c`` does from a
checkout. installers/entry.py checks the same flag, for a build without this hook.
"""

import sys

if sys.argv[1:2] == ["--run-python"]:
    from app.tools import python_child

    sys.exit(python_child.main(sys.argv[2:]))
