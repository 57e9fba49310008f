"""The python tool's sandboxed process: what runs in it before the model's code, and
how it is started — from a checkout and in the frozen (PyInstaller) app alike.

From a checkout or a pip install the child is Cove's own interpreter, isolated:
``python -I -c BOOTSTRAP CONFIG`` (no user site, no ``PYTHON*`` variables, no current
folder on ``sys.path``; the venv's packages, numpy for one, stay importable). In the
frozen app ``sys.executable`` is Cove itself, which has no ``-c``; there the child is
``Cove --run-python CONFIG``: the frozen entry (installers/entry.py) and ``python -m
app`` check for :data:`FLAG` before anything else and hand over to :func:`main`, which
runs the same BOOTSTRAP the same way. A frozen executable is isolated already
(PyInstaller's bootloader reads no ``PYTHON*`` variables and imports no ``site``) and
its ``sys.path`` is the bundle: the standard library packaging.spec collects for this
tool, plus what Cove itself bundles (numpy among it).

BOOTSTRAP, in either form, is the whole sandbox inside the process: resource limits,
the audit hook (no other programs; no sockets where no namespace takes the network
away), stdin read and closed, output unbuffered (what was printed reaches Cove even
when the run is killed: ``-u`` would not reach the frozen child), then the model's code
with the value of a final expression printed. Keep it to the standard library: from a
checkout it runs before anything of Cove can be imported.
"""

from __future__ import annotations

import sys

FLAG = "--run-python"

# Runs as ``-c`` code (a checkout) or exec'd by main() (frozen); reads sys.argv[1].
BOOTSTRAP = r"""
import ast, io, json, os, resource, sys
cfg = json.loads(sys.argv[1])
with open(0, "rb", closefd=False) as _stdin:
    code = _stdin.read().decode("utf-8", "replace")
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
for _name, _soft, _hard in cfg["limits"]:
    _res = getattr(resource, _name, None)
    if _res is None:
        continue
    _cur = resource.getrlimit(_res)[1]
    if _cur != resource.RLIM_INFINITY:
        _soft, _hard = min(_soft, _cur), min(_hard, _cur)
    try:
        resource.setrlimit(_res, (_soft, _hard))
    except (ValueError, OSError):
        pass
_PROCESS = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
            "subprocess.Popen", "pty.spawn", "os.startfile"}
_NET = {"socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
        "socket.sendto", "socket.gethostbyname", "socket.gethostbyaddr"}
_no_net = cfg["block_sockets"]
def _guard(event, args):
    if event in _PROCESS:
        raise PermissionError("starting other programs is not allowed in this sandbox")
    if _no_net and event in _NET:
        raise PermissionError("network access is not allowed in this sandbox")
sys.addaudithook(_guard)
sys.stdout, sys.stderr = (
    io.TextIOWrapper(io.FileIO(_fd, "w", closefd=False), encoding="utf-8",
                     errors="backslashreplace", write_through=True) for _fd in (1, 2))
sys.argv = ["python"]
sys.path.insert(0, os.getcwd())
_g = {"__name__": "__main__", "__builtins__": __builtins__}
try:
    _tree = ast.parse(code, "<python>")
    _last = None
    if _tree.body and isinstance(_tree.body[-1], ast.Expr):
        _last = ast.Expression(_tree.body.pop().value)
    exec(compile(_tree, "<python>", "exec"), _g)
    if _last is not None:
        _value = eval(compile(_last, "<python>", "eval"), _g)
        if _value is not None:
            print(repr(_value))
except SystemExit:
    raise
except BaseException:
    import traceback
    _t, _v, _tb = sys.exc_info()
    while _tb is not None and _tb.tb_frame.f_code.co_filename != "<python>":
        _tb = _tb.tb_next
    traceback.print_exception(_t, _v, _tb)
    sys.exit(1)
"""


def interpreter() -> list[str]:
    """The start of the child's command line (the sandbox's namespaces go before it,
    the run's JSON configuration after it)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FLAG]
    return [sys.executable, "-I", "-c", BOOTSTRAP]


def main(argv: list[str]) -> int:
    """``Cove --run-python CONFIG``, the model's code on stdin: run BOOTSTRAP as ``-c``
    would (its own globals, ``sys.argv[1]`` the configuration). Its exit status is
    the run's (SystemExit passes through)."""
    if len(argv) != 1:
        sys.stderr.write(f"usage: Cove {FLAG} CONFIG (the python tool's sandbox only)\n")
        return 2
    sys.argv = ["python", argv[0]]
    exec(compile(BOOTSTRAP, "<sandbox>", "exec"), {"__name__": "__main__"})
    return 0


__all__ = ["BOOTSTRAP", "FLAG", "interpreter", "main"]
