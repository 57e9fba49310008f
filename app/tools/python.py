"""gpt-oss's built-in ``python`` tool: the model's code runs in a sandboxed process.

The code never runs in Cove's process. Each call starts a fresh Python (stateless, as
OpenAI's reference tool: variables do not survive a call, files in the conversation's
working folder do), fed the code on stdin, and returns what it printed. That Python is
Cove's own interpreter from a checkout, and Cove's executable itself in the frozen app
(``Cove --run-python``): ``app.tools.python_child`` builds the command line and holds
the code that sets up the process before the model's code runs.

Why this sandbox. The maintained options, weighed for a desktop app that installs with
pip or a .deb and must work offline:

- Docker / Podman (OpenAI's reference tool, ``llm-sandbox``): strong, but a daemon or a
  container image the user has to install and pull; most desktops have neither.
- Jupyter kernels: a process, not a sandbox (full network and file access).
- Pyodide / WebAssembly: a strong boundary, but a 20+ MB runtime to ship and none of
  the user's Python packages (numpy from the venv etc.).
- nsjail / firejail: capable, but rarely packaged by default (nsjail) or setuid-root
  with a history of escapes (firejail).
- **bubblewrap** (``bwrap``): the unprivileged sandbox Flatpak uses, maintained and
  packaged everywhere (Debian/Ubuntu ``bubblewrap``: ``make sandbox`` installs it).
  Chosen: user, network, PID, IPC, UTS and mount namespaces in
  a few milliseconds.

So the tool picks the strongest backend this computer has, probing once:

``bwrap``   no network (an empty network namespace); a private file system: only the
            system's programs and libraries and Python's own folders (the frozen app's
            own folder), read-only, and the working folder, writable; the user's home
            and everything else is invisible; its own process tree (everything in it
            dies with it).
``unshare`` (util-linux, when bwrap is missing but user namespaces work): no network,
            its own process tree; the file system is visible as the user sees it (the
            working folder is only the cwd, HOME and TMPDIR). Weaker: code can read the
            user's files, it just cannot send them anywhere.
``plain``   (no user namespaces: macOS, a locked-down kernel): a Python audit hook
            refuses sockets, plus the limits below. Much weaker: an audit hook is no
            security boundary (ctypes gets around it). The tool says which one is used
            (``PythonTool.backend``) so the window can tell the user.

In every backend: starting other programs (subprocess, os.system, fork, exec) is
refused by an audit hook (a fork bomb fails at its first fork); resource limits set in
the child before the code runs: CPU seconds (``RLIMIT_CPU``), address space
(``RLIMIT_AS``: 10 GB allocations fail with MemoryError), size of any one file written
(``RLIMIT_FSIZE``: writing 5 GB stops at the limit with "File too large"), processes
(``RLIMIT_NPROC``, inside a user namespace only: it counts per user, and outside one it
would count the user's own browser; it does not bind root); no core dumps. Cove keeps a
wall-clock limit itself (default 30 s) and Stop kills the whole process group at once.
Output is capped (the first 96 kB and the last 4 kB kept, the rest counted), so
printing 100 MB costs Cove no memory. Not limited: the total size of all files (many
files, each under the file limit, can fill the disk).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import paths
from app.config.sealed import FileKey
from app.tools import python_child, python_folder
from app.tools.base import BUILTIN_PYTHON, ToolResult, ToolSpec, error

BACKENDS = ("bwrap", "unshare", "plain")
DESCRIPTION = (
    "Use this tool to execute Python code in your chain of thought. The code will not be "
    "shown to the user unless they open the tool call.\n"
    "When you send a message containing Python code to python, it will be executed in a "
    "stateless sandboxed process on the user's computer, and the stdout and stderr of "
    "that process will be returned to you. Use print statements to see results (the "
    "value of a final expression is printed too). Variables do not survive between "
    "calls; files written in the current folder do. Internet access is disabled and "
    "other programs cannot be started. Runs time out after {seconds:g} seconds."
)


@dataclass(frozen=True)
class Limits:
    """What one run may use. Defaults fit a laptop: enough for numpy on real data."""

    seconds: float = 30.0  # wall clock (Cove) and CPU (RLIMIT_CPU, a second more)
    memory_bytes: int = 2 << 30  # address space (RLIMIT_AS)
    file_bytes: int = 256 << 20  # any one file written (RLIMIT_FSIZE)
    processes: int = 64  # RLIMIT_NPROC, threads included (in a user namespace only)
    output_bytes: int = 100_000  # kept of stdout+stderr; the rest is counted
    tail_bytes: int = 4_000  # of the kept output, this much comes from the end


_probed: dict[str, bool] = {}
_probe_lock = threading.Lock()


def workdir_for(conversation: object) -> Path:
    """The conversation's own working folder under Cove's data folder: a folder when
    the history is unencrypted, else the name its sealed archive is kept beside
    (``app.tools.python_folder``). Not created here."""
    key = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(conversation))
    return paths.data_dir() / "python" / (key or "default")


def supported() -> bool:
    """The tool needs POSIX resource limits: not on Windows. From a checkout and in
    the frozen app alike (``app.tools.python_child``: ``Cove --run-python``)."""
    return os.name == "posix"


def best_backend() -> str:
    """The strongest backend that works on this computer (probed once, then cached)."""
    for name in BACKENDS[:-1]:
        if backend_works(name):
            return name
    return "plain"


def backend_works(name: str) -> bool:
    """Whether ``name`` can start Python here: the program exists and the kernel lets
    it make its namespaces (Ubuntu's AppArmor, containers and hardened kernels may
    refuse unprivileged user namespaces)."""
    if name == "plain":
        return supported()
    with _probe_lock:
        if name not in _probed:
            _probed[name] = _probe(name)
        return _probed[name]


def _probe(name: str) -> bool:
    if not supported() or shutil.which(name) is None:
        return False
    workdir = paths.cache_dir()
    # The real child with no code: in the frozen app, Cove's hidden entry inside the
    # namespaces (the bundle's folder must be visible there).
    config = json.dumps({"limits": [], "block_sockets": False})
    command = [*_prefix(name, workdir), *python_child.interpreter(), config]
    try:
        done = subprocess.run(command, capture_output=True, timeout=20, check=False,
                              stdin=subprocess.DEVNULL, env=_environment(str(workdir)))
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _prefix(backend: str, workdir: Path) -> list[str]:
    """The command line that puts the child into the backend's namespaces."""
    if backend == "unshare":
        return ["unshare", "--user", "--map-root-user", "--net", "--pid", "--fork",
                "--kill-child", "--mount", "--mount-proc", "--"]
    if backend != "bwrap":
        return []
    args = ["bwrap", "--unshare-all", "--die-with-parent",
            "--proc", "/proc", "--dev", "/dev"]
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives",
                 "fonts", "mime.types", "ssl"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for root in _python_roots():
        args += ["--ro-bind", root, root]
    work = str(workdir)
    return [*args, "--bind", work, work, "--chdir", work, "--"]


def _python_roots() -> list[str]:
    """Python's own folders (the interpreter, its library, the venv's packages), when
    they live outside /usr: a pyenv or venv under the user's home; in the frozen app
    the folder of Cove's executable, which holds the bundle (``_internal``)."""
    found: list[str] = []
    for raw in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(raw)
        if real.startswith("/usr/") or real == "/usr" or not os.path.isdir(real):
            continue
        if not any(real == f or real.startswith(f + "/") for f in found):
            found = [f for f in found if not f.startswith(real + "/")] + [real]
    return found


class PythonTool:
    """gpt-oss's ``python`` for one conversation: runs in ``workdir``, within
    ``limits``, through ``backend`` (the strongest available unless named). With
    ``key`` (an encrypted history) the folder's files are sealed between runs and a
    run works in an unpacked copy (``app.tools.python_folder``)."""

    def __init__(self, workdir: Path, limits: Limits | None = None,
                 backend: str | None = None, key: FileKey | None = None) -> None:
        self.workdir = workdir
        self.key = key
        self.limits = limits or Limits()
        self.backend = backend or best_backend()
        # Set once the child has been started and fed its code (tests, the window).
        self.started = threading.Event()

    @property
    def spec(self) -> ToolSpec:
        return ToolSpec(
            name="python",
            description=DESCRIPTION.format(seconds=self.limits.seconds),
            kind=BUILTIN_PYTHON,
            title="Python",
            asks_first=True,
        )

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult:
        """``arguments["code"]``: the code (harmony sends it as the message's text)."""
        code = arguments.get("code")
        if not isinstance(code, str) or not code.strip():
            return error("The python tool needs code to run: send the code as the message.")
        if not supported():
            return error("The python tool is not available on this system.")
        if not backend_works(self.backend):
            return error(f"The python sandbox ({self.backend}) cannot start on this computer.")
        try:
            with python_folder.opened(self.workdir, self.key) as folder:
                return _Run(self, code, cancel, folder).result()
        except OSError as exc:
            return error(f"The python tool's files could not be kept: {exc.strerror or exc}")


class _Run:
    """One run: start, feed, read until done, a limit or Stop; then the result."""

    def __init__(self, tool: PythonTool, code: str, cancel: threading.Event,
                 folder: Path) -> None:
        self.tool, self.code, self.cancel, self.folder = tool, code, cancel, folder
        self.limits = tool.limits
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self.stopped = ""  # why Cove ended it: "time", "cancel", "output"

    def result(self) -> ToolResult:
        before = _snapshot(self.folder)
        started = time.monotonic()
        try:
            proc = self._start()
        except OSError as exc:
            return error(f"The python sandbox could not start: {exc}")
        try:
            self._feed(proc)
            self.tool.started.set()
            self._pump(proc, started + self.limits.seconds)
        finally:
            _kill(proc)
        seconds = time.monotonic() - started
        files = _changed(self.folder, before)
        return self._result(proc.returncode, seconds, files)

    def _start(self) -> subprocess.Popen[bytes]:
        lim = self.limits
        cpu = max(1, int(lim.seconds + 0.999))
        limits = [("RLIMIT_CPU", cpu, cpu + 1), ("RLIMIT_AS", lim.memory_bytes, lim.memory_bytes),
                  ("RLIMIT_FSIZE", lim.file_bytes, lim.file_bytes), ("RLIMIT_CORE", 0, 0)]
        if self.tool.backend != "plain":
            limits.append(("RLIMIT_NPROC", lim.processes, lim.processes))
        config = {"limits": limits, "block_sockets": self.tool.backend == "plain"}
        work = str(self.folder)
        command = [*_prefix(self.tool.backend, self.folder), *python_child.interpreter(),
                   json.dumps(config)]
        return subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=work, env=_environment(work), start_new_session=True, close_fds=True)

    def _feed(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdin is not None
        with contextlib.suppress(OSError):  # it may have died already: the output says why
            proc.stdin.write(self.code.encode("utf-8"))
        with contextlib.suppress(OSError):
            proc.stdin.close()

    def _pump(self, proc: subprocess.Popen[bytes], deadline: float) -> None:
        """Read the output until the end, checking Stop and the time limit 20 times a
        second. A process that exited but left a descendant holding the pipe (the plain
        backend cannot stop a daemon) is given a second, then everything is killed."""
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        os.set_blocking(fd, False)
        exited_at: float | None = None
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while True:
                if self.cancel.is_set():
                    self.stopped = "cancel"
                    return
                now = time.monotonic()
                if now >= deadline:
                    self.stopped = "time"
                    return
                if sel.select(timeout=0.05) and not self._read(fd):
                    return  # end of output: every writer is gone
                if proc.poll() is not None:
                    exited_at = exited_at or now
                    if now - exited_at > 1.0:
                        return

    def _read(self, fd: int) -> bool:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not chunk:
            return False
        self.total += len(chunk)
        keep = self.limits.output_bytes - self.limits.tail_bytes
        if len(self.head) < keep:
            room = keep - len(self.head)
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail = (self.tail + chunk)[-self.limits.tail_bytes:]
        return True

    def _result(self, code: int | None, seconds: float, files: tuple[Path, ...]) -> ToolResult:
        output = self.head.decode("utf-8", "replace")
        hidden = self.total - len(self.head) - len(self.tail)
        if hidden > 0:
            output += f"\n[… {hidden:,} bytes of output not shown …]\n"
        output += self.tail.decode("utf-8", "replace")
        notes, failed = self._notes(code)
        if files:
            notes.append("[files written: " + ", ".join(
                str(f.relative_to(self.folder)) for f in files) + "]")
        text = (output.rstrip("\n") + "\n" + "\n".join(notes)).strip() or "[no output]"
        data = {"exit_code": code, "seconds": round(seconds, 3), "backend": self.tool.backend,
                "output_bytes": self.total, "stopped": self.stopped}
        return ToolResult(text=text, is_error=failed, files=files, data=data)

    def _notes(self, code: int | None) -> tuple[list[str], bool]:
        """What the model (and the user) should know about how the run ended."""
        if self.stopped == "cancel":
            return ["[stopped by the user]"], True
        if self.stopped == "time":
            return [f"[stopped: the time limit of {self.limits.seconds:g} s was reached]"], True
        if code is None or code == 0:
            return [], False
        if code < 0:
            sig = -code
            if sig == signal.SIGXCPU:
                return [f"[stopped: the CPU time limit of {self.limits.seconds:g} s "
                        "was reached]"], True
            if sig == signal.SIGXFSZ:
                return ["[stopped: a file grew past the size limit]"], True
            return [f"[ended by signal {signal.Signals(sig).name}]"], True
        return [f"[exit code {code}]"], True


def _environment(work: str) -> dict[str, str]:
    """A clean environment: nothing of Cove's (no tokens, no proxies), HOME and TMPDIR
    in the working folder, numeric libraries on one thread (fewer processes, less
    memory reserved under the address-space limit)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": work, "TMPDIR": work,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the whole process group (the namespace's init with it, which takes every
    process inside the namespace along), reap, and wait (2 s at most) until the group
    is empty: the kernel finishes a kill asynchronously, and "stopped" should mean
    nothing of the run is left."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    proc.wait()
    until = time.monotonic() + 2.0
    while time.monotonic() < until and _group_alive(proc.pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.01)
    for stream in (proc.stdout, proc.stdin):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs. Zombies do not count: an orphan
    is reaped by init, and some inits (containers) are slow to."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    """Regular files (not links: a link could point at the user's files) with their
    size and modification time."""
    found: dict[Path, tuple[int, int]] = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            with contextlib.suppress(OSError):
                st = path.lstat()
                if path.is_file() and not path.is_symlink():
                    found[path] = (st.st_size, st.st_mtime_ns)
    return found


def _changed(folder: Path, before: dict[Path, tuple[int, int]]) -> tuple[Path, ...]:
    after = _snapshot(folder)
    return tuple(sorted(p for p, stamp in after.items() if before.get(p) != stamp))


def code_from(arguments: Mapping[str, Any]) -> str:
    """The code of a call, for the approval dialog."""
    code = arguments.get("code")
    return code if isinstance(code, str) else json.dumps(dict(arguments))


__all__ = ["BACKENDS", "Limits", "PythonTool", "backend_works", "best_backend", "code_from",
           "supported", "workdir_for"]
