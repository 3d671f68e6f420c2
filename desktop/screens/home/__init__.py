"""The home screen: progress, what to do next, review, competency, certificates."""

from desktop.screens.home.view import HomeScreen

__all__ = ["HomeScreen"]
