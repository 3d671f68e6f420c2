"""Read case assets. Heavy libraries are imported only when an asset is read."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from xiangyi.i18n import _

if TYPE_CHECKING:
    import numpy as np

MAX_SIGNAL_BYTES = 20_000_000


class AssetError(Exception):
    """An asset is missing or unreadable; the message is for the user."""


def load_signal(path: Path, leads: list[str]) -> np.ndarray:
    """A CSV of samples (header = lead names, values in mV) as an array [lead, sample]."""
    import numpy as np

    try:
        if path.stat().st_size > MAX_SIGNAL_BYTES:
            raise AssetError(_("signal file {name} is too large").format(name=path.name))
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            if [h.strip() for h in header] != leads:
                raise AssetError(
                    _("signal file {name} has leads {found}, expected {expected}").format(
                        name=path.name, found=", ".join(header), expected=", ".join(leads)
                    )
                )
            rows = [[float(v) for v in row] for row in reader if row]
    except (OSError, StopIteration, ValueError, UnicodeDecodeError) as exc:
        raise AssetError(
            _("signal file {name} is missing or damaged").format(name=path.name)
        ) from exc
    if not rows or any(len(r) != len(leads) for r in rows):
        raise AssetError(_("signal file {name} is missing or damaged").format(name=path.name))
    return np.asarray(rows, dtype=np.float32).T
