"""Signs of activity (keys, clicks, scrolling) feed the active-study clock."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject

from courses.study_time import ActiveClock

_ACTIVE_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.MouseMove,
}


class ActivityMonitor(QObject):
    """An application-wide event filter; screens ``take()`` the active seconds they used."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = ActiveClock()
        self.clock.ping(time.monotonic())
        self._last_move = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVE_EVENTS:
            now = time.monotonic()
            # Mouse moves arrive by the hundred; one ping a second is plenty.
            if kind != QEvent.Type.MouseMove or now - self._last_move > 1.0:
                self._last_move = now
                self.clock.ping(now)
        return False

    def take(self) -> float:
        """Active seconds since the previous ``take`` (idle stretches excluded)."""
        return self.clock.take(time.monotonic())

    def restart(self) -> None:
        """Forget time so far (a new screen begins counting from now)."""
        self.take()
