"""The automatic thread count: the cores other programs leave, read from CPU counters
(a scripted source here: the real machine's load cannot be arranged in a test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.hardware.plan_threads import (
    CpuSample,
    ProcStat,
    ThreadChooser,
    threads_for,
    wait_env,
)


class Machine:
    """CPU counters that advance as scripted: ``others`` cores busy besides this
    process, which itself keeps ``own`` cores busy."""

    def __init__(self) -> None:
        self.now = 0.0
        self.busy = 0.0
        self.own_total = 0.0
        self.others = 0.0
        self.own = 0.0
        self.readings = 0

    def run(self, seconds: float) -> None:
        self.now += seconds
        self.busy += (self.others + self.own) * seconds
        self.own_total += self.own * seconds

    def sample(self) -> CpuSample:
        self.readings += 1
        return CpuSample(self.busy, self.own_total, self.now)


def chooser_on(machine: Machine, planned: int = 2, cores: int = 2) -> ThreadChooser:
    return ThreadChooser(planned, cores=cores, source=machine, clock=lambda: machine.now)


def settle(chooser: ThreadChooser, machine: Machine, seconds: int = 6) -> int:
    for _ in range(seconds):
        machine.run(1.0)
        chooser.poll()
    return chooser.threads


def test_a_quiet_machine_keeps_every_planned_thread() -> None:
    machine = Machine()
    machine.others = 0.1  # a browser idling
    chooser = chooser_on(machine)
    assert settle(chooser, machine) == 2


def test_a_busy_core_is_given_up_and_taken_back_when_it_is_free() -> None:
    machine = Machine()
    chooser = chooser_on(machine)
    settle(chooser, machine)
    machine.own = 2.0 * 2 / 3  # our two spinning threads share the cores with a build
    machine.others = 2 / 3
    assert settle(chooser, machine) == 1
    machine.own, machine.others = 1.0, 1.0  # one thread: the build has its core
    assert settle(chooser, machine) == 1, "the count holds while the build runs"
    machine.others = 0.0
    assert settle(chooser, machine) == 2


def test_poll_reads_at_most_once_a_second_and_says_only_changes() -> None:
    machine = Machine()
    chooser = chooser_on(machine)
    assert chooser.poll() is None  # the first reading is only a start
    for _ in range(15):  # 1.5 s
        machine.run(0.1)
        chooser.poll()
    assert machine.readings == 2
    machine.others = 2.0
    changes = []
    for _ in range(5):
        machine.run(1.0)
        changes.append(chooser.poll())
    assert [c for c in changes if c is not None] == [1]


def test_no_reading_leaves_the_planned_count() -> None:
    class Silent:
        def sample(self) -> CpuSample | None:
            return None

    chooser = ThreadChooser(8, cores=8, source=Silent())
    assert chooser.poll() is None and chooser.threads == 8


@pytest.mark.parametrize(("planned", "cores", "others", "expected"), [
    (2, 2, 0.0, 2), (2, 2, 0.3, 2), (2, 2, 0.7, 1), (2, 2, 2.0, 1), (2, 2, 5.0, 1),
    (8, 8, 0.9, 7), (8, 8, 3.0, 5), (4, 8, 1.0, 4), (4, 8, 6.0, 2), (1, 1, 1.0, 1),
])
def test_threads_for(planned: int, cores: int, others: float, expected: int) -> None:
    assert threads_for(planned, cores, others) == expected


def test_proc_stat_reads_the_busy_time_of_every_core(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  100 5 50 1000 20 3 2 0 0 0\ncpu0 50 2 25 500 10 1 1 0 0 0\n")
    sample = ProcStat(stat).sample()
    assert sample is not None
    tick = sample.busy_s / 160  # user+nice+system+irq+softirq+steal, in ticks
    assert tick == pytest.approx(1 / ProcStat(stat)._tick)
    assert ProcStat(tmp_path / "missing").sample() is None
    stat.write_text("garbage\n")
    assert ProcStat(stat).sample() is None


def test_the_wait_setting_never_overrides_the_users_own() -> None:
    assert wait_env({}) == {"GOMP_SPINCOUNT": "1000"}
    assert wait_env({"GOMP_SPINCOUNT": "300000"}) == {}
    assert wait_env({"OMP_WAIT_POLICY": "ACTIVE"}) == {}
