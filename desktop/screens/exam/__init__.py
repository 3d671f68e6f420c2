"""Exam mode: timer, navigation, flags, deferred feedback, submit, results."""

from desktop.screens.exam.view import ExamScreen

__all__ = ["ExamScreen"]
