"""The staged case player: presentation → own read → AI output → decision → feedback."""

from desktop.screens.player.view import PlayerScreen

__all__ = ["PlayerScreen"]
