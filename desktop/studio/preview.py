"""Preview cases in the real player, in practice or exam mode, without touching records.

The preview runs the learner's own screens against a throw-away database in a
temporary folder, with a preview account, so trying a case never adds attempts to the
trainer's records; the folder is removed when the preview closes.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from xiangyi.i18n import _

if TYPE_CHECKING:
    from assessments.blueprints import Blueprint
    from case_bank.models import Case, PackInfo

_log = logging.getLogger(__name__)
PRACTICE, EXAM = "practice", "exam"


def preview_blueprint(cases: list[Case]) -> Blueprint:
    """An exam of exactly ``cases``: deferred feedback, own read first, nothing certified."""
    from assessments.blueprints import Blueprint

    return Blueprint.model_validate(
        {
            "id": "studio-preview",
            "version": 1,
            "title": {"zh_CN": "病例预览（考试模式）", "en": "Case preview (exam mode)"},
            "total_cases": len(cases),
            "ai_error_share": {"min": 0, "max": 1},
            "time_limit_minutes": 10 * len(cases),
            "attempts": {"allowed": 100},
            "feedback": "deferred",
            "own_read_required": True,
            "pass_rule": {
                "cut_score": 0.6,
                "standard_setting": {"method": "fixed_policy", "date": date.today().isoformat()},
            },
        }
    )


class PreviewWindow(QDialog):
    """The player (practice) or the exam screen over ``cases`` of the pack in ``folder``."""

    def __init__(
        self, parent: QWidget | None, folder: Path, info: PackInfo, cases: list[Case], mode: str
    ) -> None:
        from case_bank.pack import Pack
        from desktop.context import AppContext
        from records.accounts import create_user
        from records.db import open_database

        super().__init__(parent)
        self.setObjectName(f"preview_{mode}")
        self.setWindowTitle(
            _("Preview in practice mode") if mode == PRACTICE else _("Preview in exam mode")
        )
        self.resize(1280, 720)
        self.mode = mode
        self.temp = tempfile.TemporaryDirectory(prefix="xiangyi-preview-")
        self.db = open_database(Path(self.temp.name))
        user = create_user(self.db, "preview", _("Preview"), secrets.token_urlsafe(18), "learner")
        pack = Pack(Path(folder), info, list(cases))
        self.ctx = AppContext(data_dir=Path(self.temp.name), db=self.db, user=user, _packs=[pack])
        self.screen: Any = self._build(pack, list(cases))
        self.screen.closed.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.screen)
        self.finished.connect(self._clean_up)

    def _build(self, pack: Any, cases: list[Case]) -> QWidget:
        if self.mode == PRACTICE:
            from desktop.screens.player import PlayerScreen

            player = PlayerScreen(self.ctx)
            player.play_queue([(pack, case) for case in cases])
            return player
        from desktop.screens.exam import ExamScreen
        from records import exams

        assert self.ctx.user is not None
        blueprint = preview_blueprint(cases)
        state = exams.start(self.db, self.ctx.user.id, blueprint, cases, time.time(), seed=1)
        screen = ExamScreen(self.ctx)
        screen.begin(blueprint, state, {case.id: case for case in cases})
        return screen

    def _clean_up(self) -> None:
        if hasattr(self.screen, "stop_timers"):
            self.screen.stop_timers()
        self.db.close()
        try:
            self.temp.cleanup()
        except OSError:  # Windows may still hold a file for a moment; the OS cleans temp
            _log.warning("Preview folder %s not removed", self.temp.name)
