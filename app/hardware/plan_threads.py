"""Threads that survive a busy computer: how llama.cpp's threads wait, and how many.

Why it matters: llama.cpp splits every matrix product of a token across its threads
and waits at a barrier after each, hundreds of times per token. A waiting thread that
spins keeps its core busy; when another program wants a core, the thread that has
work is descheduled while the others spin, and the speed collapses. Measured on the
synthetic gpt-oss-20b (tests/support/synthetic_gpt_oss.py; 2 cores, one busy
background process): 2 spinning threads 1.1 tokens/s, 1 thread 2.3; quiet, 2 threads
4.1.

The cure that measured best (bench/threads.py) is how the threads wait, not how many
there are: llama.cpp builds with OpenMP (Linux; ``OPENMP = 1`` in its system info)
wait at its barriers, and libgomp's default spins 300,000 rounds before sleeping.
:data:`WAIT_ENV` cuts that to 1,000 (a few microseconds), set in the worker before
llama.cpp loads. On a loaded 2-core machine the planned 2 threads then wrote 2.2-3.2
tokens/s where the default spin wrote 0.44-0.48 and the best fixed count (1 thread)
1.2-1.8; quiet (the bench's processes at real-time priority) it cost nothing: 9.0
against 8.9 tokens/s (OMP_WAIT_POLICY=PASSIVE: 8.4). Fewer threads never won against
it: a thread that sleeps at a barrier hands its core over at once, and the matrix
products' work is shared out in chunks, so the threads that run take the work of one
that does not.

Builds without OpenMP (ggml's own thread pool, which spins at its barriers) get the
thread count instead: :class:`ThreadChooser`, which the worker asks between answers
(about once a second while idle) and every second while it writes, and gives llama.cpp
the count it says (``llama_set_n_threads``, which takes effect at the next decode).
The chooser reads how
much CPU time the whole machine spent busy and subtracts this process's own
(:class:`ProcStat`, Linux ``/proc/stat``; elsewhere there is no reading and the planned
count stays): what remains is the other programs' demand, in cores. Its recent
average decides: the cores left (``cores - others``, rounded so that a core taken less
than a third of the time still counts as free), at most the planned count, at least one.

While Cove runs N spinning threads next to one busy program the scheduler shares the
cores, so the reading shows that program at less than a whole core (2/3 of one on 2
cores): still enough to give up the contested thread, after which it reads a whole
core, and the count holds until the program stops.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# libgomp's spin before a waiting thread sleeps (its default: 300,000 rounds). The
# user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT is left alone.
WAIT_ENV = {"GOMP_SPINCOUNT": "1000"}
CPU_STAT_ENV = "COVE_CPU_STAT"  # read these CPU counters instead of /proc/stat (tests)
INTERVAL_S = 1.0  # between readings
SMOOTHING = 0.5  # weight of the newest reading in the running average
FREE_ROUNDING = 0.35  # a core others use less than 1 - this of the time counts as free


@dataclass(frozen=True)
class CpuSample:
    """Cumulative CPU seconds: every core's busy time, and this process's own."""

    busy_s: float
    own_s: float
    at: float  # time.monotonic()


class LoadSource(Protocol):
    def sample(self) -> CpuSample | None:
        """A reading now, or None where this system gives none."""
        ...


class ProcStat:
    """Readings from Linux's ``/proc/stat`` (all cores' busy time) and ``os.times``
    (this process, all of its threads)."""

    def __init__(self, path: Path = Path("/proc/stat")) -> None:
        self._path = path
        self._tick = float(os.sysconf("SC_CLK_TCK")) if hasattr(os, "sysconf") else 100.0

    def sample(self) -> CpuSample | None:
        try:
            with self._path.open("rb") as f:
                fields = f.readline().split()
        except OSError:
            return None
        if len(fields) < 8 or fields[0] != b"cpu":
            return None
        # user nice system idle iowait irq softirq steal: all but idle and iowait.
        values = [int(v) for v in fields[1:9]]
        busy = sum(values) - values[3] - values[4]
        own = os.times()
        return CpuSample(busy / self._tick, own.user + own.system, time.monotonic())


class ThreadChooser:
    """The thread count for llama.cpp now, between 1 and ``planned``.

    ``poll()`` is cheap: it reads the source at most once per ``interval`` seconds and
    returns a new count only when the count changes (else None)."""

    def __init__(self, planned: int, cores: int | None = None,
                 source: LoadSource | None = None, interval: float = INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.planned = max(1, planned)
        self.cores = max(self.planned, cores or os.cpu_count() or 1)
        self.threads = self.planned
        self.others = 0.0  # the other programs' recent demand, in cores
        self._source: LoadSource = source if source is not None else ProcStat()
        self._interval = interval
        self._clock = clock
        self._last: CpuSample | None = None

    def poll(self) -> int | None:
        if self._last is not None and self._clock() - self._last.at < self._interval:
            return None
        sample = self._source.sample()
        if sample is None:
            return None
        previous, self._last = self._last, sample
        if previous is None or sample.at <= previous.at:
            return None
        elapsed = sample.at - previous.at
        others = max(0.0, (sample.busy_s - previous.busy_s)
                     - (sample.own_s - previous.own_s)) / elapsed
        others = min(others, float(self.cores))  # counters can lie; demand beyond is moot
        self.others = SMOOTHING * others + (1 - SMOOTHING) * self.others
        wanted = threads_for(self.planned, self.cores, self.others)
        if wanted == self.threads:
            return None
        self.threads = wanted
        return wanted


def threads_for(planned: int, cores: int, others: float) -> int:
    """The threads to run on ``cores`` logical cores when other programs keep
    ``others`` of them busy."""
    free = cores - others
    return max(1, min(planned, math.floor(free + FREE_ROUNDING)))


def wait_env(environ: Mapping[str, str]) -> dict[str, str]:
    """What to add to the environment before llama.cpp (and with it libgomp) loads."""
    if "OMP_WAIT_POLICY" in environ or "GOMP_SPINCOUNT" in environ:
        return {}
    return dict(WAIT_ENV)


def adapts(system_info: str, environ: Mapping[str, str]) -> bool:
    """Whether the thread count should follow the load: for builds whose threads spin
    at barriers (no OpenMP), and where the counters come from a file a test names."""
    return "OPENMP = 1" not in system_info or CPU_STAT_ENV in environ


def load_source(environ: Mapping[str, str]) -> ProcStat:
    path = environ.get(CPU_STAT_ENV)
    return ProcStat(Path(path)) if path else ProcStat()
