"""Bilingual text: every piece of content carries zh-CN and English."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from xiangyi.i18n import current_language


class Bilingual(BaseModel):
    """A content string in both languages; both are required and non-empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh_CN: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str | None = None) -> str:
        """The text in ``language`` (default: the current UI language)."""
        return self.zh_CN if (language or current_language()) == "zh_CN" else self.en

    def __str__(self) -> str:
        return self.get()
