"""Read case assets safely: signals (CSV, .npy), images (PNG, JPEG, DICOM).

Heavy libraries (numpy, Pillow, pydicom) are imported only when an asset is read.
Every reader checks the size before reading, and an image must really be what
its extension says: a text file or a JPEG renamed ``.png`` is refused.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from xiangyi.i18n import _

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from case_bank.models import AIOutput, ImageOutput
    from case_bank.validation import Issue

MAX_SIGNAL_BYTES = 20_000_000
MAX_IMAGE_BYTES = 40_000_000
MAX_IMAGE_SIDE = 8192
MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x93NUMPY", "npy"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
)
_SUFFIX_KIND = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".dcm": "dicom", ".npy": "npy"}
_KIND_NAMES = {"png": "PNG", "jpeg": "JPEG", "dicom": "DICOM", "npy": "NumPy"}


class AssetError(Exception):
    """An asset is missing, unsafe or unreadable; the message is for the user."""


def sniff(path: Path) -> str:
    """What the first bytes of ``path`` say it is: png, jpeg, dicom, npy, text, … or unknown."""
    with path.open("rb") as handle:
        head = handle.read(132)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[128:132] == b"DICM":
        return "dicom"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown"
    return "text"


def check_size(path: Path, limit: int) -> None:
    """Raise AssetError if ``path`` is missing or larger than ``limit`` bytes."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AssetError(_("file {name} is missing").format(name=path.name)) from exc
    if size > limit:
        raise AssetError(
            _("file {name} is larger than {limit} MB").format(
                name=path.name, limit=limit // 1_000_000
            )
        )


def check_content(path: Path) -> str:
    """The kind ``path``'s extension promises (png, jpeg, dicom, npy), checked against its
    first bytes; raises AssetError for an unknown extension or content of another kind."""
    expected = _SUFFIX_KIND.get(path.suffix.lower())
    if expected is None:
        raise AssetError(
            _("file {name}: only .png, .jpg, .jpeg, .dcm, .csv and .npy files can be used").format(
                name=path.name
            )
        )
    found = sniff(path)
    if found != expected:
        raise AssetError(
            _("file {name} is not a {expected} file: its content is {found}").format(
                name=path.name, expected=_KIND_NAMES[expected], found=found
            )
        )
    return expected


def _to_array(image: Image.Image) -> np.ndarray:
    import numpy as np

    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        data = np.asarray(image, dtype=np.float64)
        return (np.clip(data, 0, 65535) / 257.0).round().astype(np.uint8)
    if image.mode in ("1", "L", "LA"):
        return np.asarray(image.convert("L"), dtype=np.uint8)
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    grey = (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    if image.mode == "P" and grey:
        return np.ascontiguousarray(rgb[..., 0])
    return rgb


def load_image(path: Path) -> np.ndarray:
    """A PNG or JPEG as uint8 [row, col] (grey) or [row, col, 3] (RGB).

    Refuses files over :data:`MAX_IMAGE_BYTES`, images over :data:`MAX_IMAGE_SIDE`
    pixels a side, decompression bombs, and content that does not match the extension.
    """
    from PIL import Image

    check_size(path, MAX_IMAGE_BYTES)
    kind = check_content(path)
    if kind not in ("png", "jpeg"):
        raise AssetError(_("file {name} is not a PNG or JPEG image").format(name=path.name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=["PNG" if kind == "png" else "JPEG"]) as image:
                width, height = image.size
                too_big = width * height > MAX_IMAGE_PIXELS
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or too_big:
                    raise AssetError(
                        _("image {name} is {width} × {height} pixels; the limit is {limit}").format(
                            name=path.name, width=width, height=height, limit=MAX_IMAGE_SIDE
                        )
                    )
                image.load()
                return _to_array(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AssetError(
            _("image {name} is too large to open safely").format(name=path.name)
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise AssetError(_("image {name} is damaged").format(name=path.name)) from exc


def load_case_image(path: Path, window: tuple[float, float] | None = None) -> np.ndarray:
    """A case image of any supported kind; DICOM is windowed to 8-bit grey."""
    if path.suffix.lower() == ".dcm":
        from case_bank.dicom import load_dicom_for_case

        return load_dicom_for_case(path, window)
    return load_image(path)


def load_signal(path: Path, leads: list[str]) -> np.ndarray:
    """A signal as float32 [lead, sample], in mV.

    CSV: a header row of lead names, then one row per sample. ``.npy``: a numeric
    array [sample, lead] with one column per entry of ``leads``; pickles are refused.
    """
    if path.suffix.lower() == ".npy":
        return _load_npy(path, leads)
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


def _load_npy(path: Path, leads: list[str]) -> np.ndarray:
    import numpy as np

    check_size(path, MAX_SIGNAL_BYTES)
    check_content(path)
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise AssetError(_("signal file {name} is damaged").format(name=path.name)) from exc
    if not isinstance(data, np.ndarray) or data.ndim != 2 or data.shape[1] != len(leads):
        raise AssetError(
            _("signal file {name} must be an array [sample, lead] with {n} lead(s)").format(
                name=path.name, n=len(leads)
            )
        )
    if data.dtype.kind not in "iuf" or data.shape[0] == 0:
        raise AssetError(_("signal file {name} must hold numbers").format(name=path.name))
    signal = data.astype(np.float32).T
    if not np.isfinite(signal).all():
        raise AssetError(_("signal file {name} has missing values").format(name=path.name))
    return np.ascontiguousarray(signal)


def resolve_asset(folder: Path, name: str) -> Path:
    """The file ``name`` inside ``folder``; refuses links, ``..`` and anything outside."""
    root = folder.resolve()
    candidate = folder / name
    probe = candidate
    while probe != folder and probe != probe.parent:
        if probe.is_symlink():
            raise AssetError(
                _("{name} is a symbolic link; copy the file into the pack").format(name=name)
            )
        probe = probe.parent
    target = candidate.resolve()
    if not target.is_relative_to(root):
        raise AssetError(_("{name} lies outside the pack").format(name=name))
    if not target.is_file():
        raise AssetError(_("asset '{name}' not found").format(name=name))
    return target


def check_output_assets(output: AIOutput, folder: Path, *, read: bool = True) -> list[Issue]:
    """Problems with the assets of ``output``: missing, unreadable or not matching it.

    Without ``read`` only their presence is checked. Locations are relative to the
    output (e.g. ``("boxes", 2)``).
    """
    from case_bank.models import EcgOutput, ImageOutput

    issues: list[Issue] = []
    paths: dict[str, Path] = {}
    for loc, name in output.asset_refs():
        try:
            paths[name] = resolve_asset(folder, name)
        except AssetError as exc:
            issues.append((loc, str(exc)))
    if issues or not read:
        return issues
    try:
        if isinstance(output, EcgOutput):
            signal = load_signal(paths[output.signal], output.leads)
            duration = signal.shape[1] / output.sampling_rate
            for i, beat in enumerate(output.beats):
                if beat.time_s > duration:
                    message = _("the beat is after the end of the signal ({seconds:.1f} s)")
                    issues.append((("beats", i), message.format(seconds=duration)))
        elif isinstance(output, ImageOutput):
            issues += _image_issues(output, paths)
    except AssetError as exc:
        issues.append((output.asset_refs()[0][0], str(exc)))
    return issues


def _image_issues(output: ImageOutput, paths: dict[str, Path]) -> list[Issue]:
    pixels = load_case_image(paths[output.image])
    height, width = pixels.shape[:2]
    issues = output.overlay_issues(width, height)
    if output.heat_map is not None and output.heat_map.asset is not None:
        loc = ("heat_map", "asset")
        try:
            heat = load_image(paths[output.heat_map.asset])
        except AssetError as exc:
            return [*issues, (loc, str(exc))]
        if heat.ndim != 2:
            issues.append((loc, _("a heat map must be a greyscale PNG")))
        elif heat.shape != (height, width):
            message = _("the heat map is {w} × {h} pixels; the image is {width} × {height}")
            issues.append(
                (
                    loc,
                    message.format(w=heat.shape[1], h=heat.shape[0], width=width, height=height),
                )
            )
    return issues
