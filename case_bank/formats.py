"""Pack format versions and the explicit steps that upgrade older files.

``pack.yaml`` states ``format: N``. Before validation, the raw data of ``pack.yaml``
and of every case is passed through the upgrade steps from N to
:data:`CURRENT_FORMAT`, one step per version, so the models only ever see the
current format. A step is a pure function of a plain dict (never mutating its
input); adding a format means adding one :class:`Step` to :data:`STEPS`.

Format history:

- **0** — drafts written before release 0.1: ``pack.yaml`` named the oldest app
  version ``min_version``, and an ECG output named its sampling rate ``sampling_hz``.
- **1** — the first released format.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xiangyi import __version__
from xiangyi.i18n import _

CURRENT_FORMAT = 1
OLDEST_FORMAT = 0

Raw = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """Upgrade from ``source`` to ``source + 1``."""

    source: int
    pack: Callable[[Raw], Raw]
    case: Callable[[Raw], Raw]
    summary: str


class FormatError(Exception):
    """The pack cannot be read by this app; the message says what to do."""


def _rename(data: Raw, path: tuple[str, ...], new: str) -> Raw:
    """A copy of ``data`` with the key at ``path`` renamed to ``new`` (if present)."""
    result = copy.deepcopy(data)
    parent: Any = result
    for key in path[:-1]:
        parent = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(parent, dict) and path[-1] in parent and new not in parent:
        parent[new] = parent.pop(path[-1])
    return result


def _pack_0_to_1(data: Raw) -> Raw:
    return _rename(data, ("min_version",), "min_app_version")


def _case_0_to_1(data: Raw) -> Raw:
    return _rename(data, ("ai_output", "sampling_hz"), "sampling_rate")


STEPS: dict[int, Step] = {
    0: Step(0, _pack_0_to_1, _case_0_to_1, "min_version → min_app_version; sampling_hz → rate"),
}
"""Upgrade steps by the format they start from."""


def raw_format(data: Raw) -> int:
    """The ``format`` stated in raw ``pack.yaml`` data.

    Raises FormatError when it is missing, not a whole number, too old or too new.
    """
    value = data.get("format")
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(
            _("'format' must be a whole number, e.g. format: {current}").format(
                current=CURRENT_FORMAT
            )
        )
    if value > CURRENT_FORMAT:
        raise FormatError(
            _(
                "the pack uses format {found}, but this version of Xiangyi reads formats up to "
                "{current}; install a newer Xiangyi to use it"
            ).format(found=value, current=CURRENT_FORMAT)
        )
    if value < OLDEST_FORMAT:
        raise FormatError(
            _("format {found} is not known; the oldest format is {oldest}").format(
                found=value, oldest=OLDEST_FORMAT
            )
        )
    return value


def _apply(data: Raw, source: int, which: str) -> Raw:
    result = data
    for version in range(source, CURRENT_FORMAT):
        step = STEPS[version]
        result = step.pack(result) if which == "pack" else step.case(result)
    return result


def upgrade_pack(data: Raw) -> Raw:
    """Raw ``pack.yaml`` data in the current format (``format`` updated)."""
    source = raw_format(data)
    result = _apply(data, source, "pack")
    if source != CURRENT_FORMAT:
        result = {**result, "format": CURRENT_FORMAT}
    return result


def upgrade_case(data: Raw, source: int) -> Raw:
    """Raw case data written in format ``source``, in the current format."""
    return _apply(data, source, "case")


def parse_version(text: str) -> tuple[int, ...]:
    """``"0.1"`` → ``(0, 1, 0)``; the parts after the numbers (``rc1``) are ignored."""
    match = re.match(r"\d+(\.\d+)*", text.strip())
    numbers = [int(n) for n in match.group(0).split(".")[:3]] if match else []
    return tuple(numbers + [0] * (3 - len(numbers)))


def app_too_old(min_app_version: str, app_version: str = __version__) -> bool:
    """Whether a pack needing ``min_app_version`` cannot run on ``app_version``."""
    return parse_version(min_app_version) > parse_version(app_version)


def app_version_message(min_app_version: str, app_version: str = __version__) -> str:
    """The message for a pack that needs a newer app."""
    return _(
        "the pack needs Xiangyi {needed} or newer; this is Xiangyi {current}. "
        "Install a newer Xiangyi to use it"
    ).format(needed=min_app_version, current=app_version)
