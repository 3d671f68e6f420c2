"""Bridge our gettext language to Qt: Qt's own translations for standard dialogs,
and a LanguageChange event so every widget re-labels itself."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from xiangyi import i18n

_QT_NAMES = {"zh_CN": "zh_CN", "en": "en"}


class QtLanguage:
    """Keeps Qt's translators in step with ``xiangyi.i18n``."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.translator: QTranslator | None = None
        i18n.add_listener(self._changed)
        self._changed(i18n.current_language())

    def _changed(self, language: str) -> None:
        if self.translator is not None:
            self.app.removeTranslator(self.translator)
            self.translator = None
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(self.app)
        if translator.load(f"qtbase_{_QT_NAMES[language]}", path):
            self.app.installTranslator(translator)
            self.translator = translator
        QLocale.setDefault(QLocale("zh_CN" if language == "zh_CN" else "en_US"))
        # installTranslator already posts LanguageChange; post one anyway so a
        # language without a Qt catalogue (English) re-labels our widgets too.
        for widget in _top_levels():
            QCoreApplication.postEvent(widget, QEvent(QEvent.Type.LanguageChange))

    def close(self) -> None:
        i18n.remove_listener(self._changed)


def _top_levels() -> list:  # type: ignore[type-arg]
    from PySide6.QtWidgets import QApplication

    return list(QApplication.topLevelWidgets())
