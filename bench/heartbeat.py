"""How long the GUI thread could not react: a precise QTimer beats every few
milliseconds and each beat's lateness is kept (bench/ui.py, bench/api.py)."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


class Heartbeat:
    """Beats every ``interval`` ms on the thread that starts it, while its event loop
    runs; :attr:`lateness` holds how late each beat came (ms)."""

    def __init__(self, interval: int = 5) -> None:
        self.interval = interval
        self.lateness: list[float] = []
        self._clock = QElapsedTimer()
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(self._timer.timerType().PreciseTimer)
        self._timer.setInterval(interval)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.lateness

    def _beat(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        if self._last:
            self.lateness.append(max(0.0, now - self._last - self.interval))
        self._last = now


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]
