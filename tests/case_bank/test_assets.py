"""Asset readers: images that are what they say, size limits, .npy signals, DICOM."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from kinds_helpers import KINDS_PACK, make_dicom
from PIL import Image

from case_bank import assets
from case_bank.assets import AssetError, load_case_image, load_image, load_signal, resolve_asset
from case_bank.dicom import (
    PRIVATE_TAGS,
    deidentify_file,
    find_identifiers,
    load_dicom_for_case,
    read_dataset,
    strip_identifiers,
)
from xiangyi.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_png_grey_and_rgb_and_jpeg() -> None:
    grey = load_image(KINDS_PACK / "assets" / "chest.png")
    assert grey.shape == (64, 64) and grey.dtype == np.uint8
    rgb = load_image(KINDS_PACK / "assets" / "fundus.jpg")
    assert rgb.shape == (64, 64, 3)


def test_sixteen_bit_and_palette_png(tmp_path: Path) -> None:
    deep = tmp_path / "deep.png"
    Image.fromarray(np.full((4, 5), 65535, dtype=np.uint16)).save(deep)
    assert load_image(deep).max() == 255
    palette = tmp_path / "palette.png"
    Image.fromarray(np.arange(20, dtype=np.uint8).reshape(4, 5)).convert("P").save(palette)
    assert load_image(palette).ndim == 2


def test_text_file_named_png_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "xray.png"
    fake.write_text("<html>not an image</html>")
    with pytest.raises(AssetError, match="is not a PNG file: its content is text"):
        load_image(fake)


def test_jpeg_renamed_png_is_refused(tmp_path: Path) -> None:
    renamed = tmp_path / "fundus.png"
    shutil.copy(KINDS_PACK / "assets" / "fundus.jpg", renamed)
    with pytest.raises(AssetError, match="not a PNG file: its content is jpeg"):
        load_image(renamed)


def test_png_renamed_jpg_and_unknown_extension(tmp_path: Path) -> None:
    renamed = tmp_path / "chest.jpeg"
    shutil.copy(KINDS_PACK / "assets" / "chest.png", renamed)
    with pytest.raises(AssetError, match="not a JPEG file"):
        load_image(renamed)
    gif = tmp_path / "x.gif"
    Image.new("L", (2, 2)).save(gif)
    with pytest.raises(AssetError, match=r"only \.png"):
        load_image(gif)


def test_truncated_png_is_damaged(tmp_path: Path) -> None:
    data = (KINDS_PACK / "assets" / "chest.png").read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(AssetError, match="damaged"):
        load_image(cut)


def test_image_byte_and_pixel_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = tmp_path / "wide.png"
    Image.new("L", (9000, 2)).save(wide)
    with pytest.raises(AssetError, match="9000 × 2 pixels; the limit is 8192"):
        load_image(wide)
    monkeypatch.setattr(assets, "MAX_IMAGE_BYTES", 100)
    with pytest.raises(AssetError, match="larger than"):
        load_image(KINDS_PACK / "assets" / "chest.png")


def test_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image as PILImage

    bomb = tmp_path / "bomb.png"
    Image.new("L", (4000, 4000)).save(bomb)  # compresses to a few kB
    assert bomb.stat().st_size < 100_000
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1_000_000)
    with pytest.raises(AssetError, match="too large to open safely"):
        load_image(bomb)


def test_npy_signal(tmp_path: Path) -> None:
    signal = load_signal(KINDS_PACK / "assets" / "ecg.npy", ["I", "II"])
    assert signal.shape == (2, 1000) and signal.dtype == np.float32
    with pytest.raises(AssetError, match=r"\[sample, lead\] with 3 lead"):
        load_signal(KINDS_PACK / "assets" / "ecg.npy", ["I", "II", "III"])


def test_npy_pickles_and_bad_shapes_are_refused(tmp_path: Path) -> None:
    pickled = tmp_path / "evil.npy"
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(AssetError, match="damaged"):
        load_signal(pickled, ["I"])
    flat = tmp_path / "flat.npy"
    np.save(flat, np.zeros(10))
    with pytest.raises(AssetError, match="array"):
        load_signal(flat, ["I"])
    nan = tmp_path / "nan.npy"
    np.save(nan, np.full((10, 1), np.nan))
    with pytest.raises(AssetError, match="missing values"):
        load_signal(nan, ["I"])
    text = tmp_path / "text.npy"
    text.write_text("1,2,3")
    with pytest.raises(AssetError, match="not a NumPy file"):
        load_signal(text, ["I"])


def test_resolve_asset_stays_inside(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.png").write_bytes(b"x")
    (tmp_path / "outside.png").write_bytes(b"x")
    assert resolve_asset(tmp_path, "assets/a.png").name == "a.png"
    with pytest.raises(AssetError, match="outside"):
        resolve_asset(tmp_path / "assets", "../outside.png")
    with pytest.raises(AssetError, match="not found"):
        resolve_asset(tmp_path, "assets/b.png")
    if sys.platform != "win32":
        (tmp_path / "assets" / "link.png").symlink_to(tmp_path / "outside.png")
        with pytest.raises(AssetError, match="symbolic link"):
            resolve_asset(tmp_path, "assets/link.png")


def test_dicom_with_identifiers_is_refused(tmp_path: Path) -> None:
    path = make_dicom(tmp_path / "film.dcm")
    with pytest.raises(AssetError) as info:
        load_dicom_for_case(path)
    message = str(info.value)
    for tag in ("PatientName", "PatientID", "PatientBirthDate", "InstitutionName", "StudyDate"):
        assert tag in message
    assert PRIVATE_TAGS in message and "de-identify" in message


def test_dicom_after_strip_identifiers_is_accepted(tmp_path: Path) -> None:
    path = make_dicom(tmp_path / "film.dcm")
    dataset = read_dataset(path)
    old_uid = dataset.SOPInstanceUID
    strip_identifiers(dataset)
    assert find_identifiers(dataset) == []
    assert dataset.PatientIdentityRemoved == "YES"
    assert dataset.PatientAge == "045Y" and dataset.PatientSex == "M"  # characteristics kept
    assert dataset.SOPInstanceUID != old_uid
    assert dataset.file_meta.MediaStorageSOPInstanceUID == dataset.SOPInstanceUID
    clean = tmp_path / "clean.dcm"
    dataset.save_as(clean, enforce_file_format=True)
    pixels = load_dicom_for_case(clean)
    assert pixels.shape == (32, 48) and pixels.dtype == np.uint8


def test_deidentify_file_reports_what_it_removed(tmp_path: Path) -> None:
    source = make_dicom(tmp_path / "in.dcm")
    removed = deidentify_file(source, tmp_path / "out.dcm")
    assert "PatientName" in removed and "OtherPatientIDs" in removed
    assert find_identifiers(read_dataset(tmp_path / "out.dcm")) == []
    assert load_case_image(tmp_path / "out.dcm").shape == (32, 48)


def test_burned_in_annotation_is_refused(tmp_path: Path) -> None:
    path = make_dicom(tmp_path / "film.dcm", identified=False)
    dataset = read_dataset(path)
    dataset.BurnedInAnnotation = "YES"
    dataset.save_as(path, enforce_file_format=True)
    with pytest.raises(AssetError, match="burned into"):
        load_dicom_for_case(path)


def test_dicom_windowing_and_rescale(tmp_path: Path) -> None:
    values = np.array([[0, 500, 1000, 1500, 2000, 4000]], dtype=np.uint16)
    path = make_dicom(tmp_path / "w.dcm", identified=False, pixels=values, window=(1000, 1001))
    pixels = load_dicom_for_case(path)
    assert pixels.tolist() == [[0, 0, 128, 255, 255, 255]]
    # an explicit window wins over the file's
    wide = load_dicom_for_case(path, window=(2000.5, 4001))
    assert wide.tolist() == [[0, 32, 64, 96, 128, 255]]
    # rescale slope/intercept apply before the window (e.g. CT numbers)
    dataset = read_dataset(path)
    dataset.RescaleSlope, dataset.RescaleIntercept = 1, -1000
    dataset.save_as(path, enforce_file_format=True)
    assert load_dicom_for_case(path, window=(0, 1001)).tolist() == [[0, 0, 128, 255, 255, 255]]


def test_dicom_monochrome1_is_inverted_and_default_window(tmp_path: Path) -> None:
    values = np.array([[0, 100, 200]], dtype=np.uint16)
    path = make_dicom(
        tmp_path / "m1.dcm", identified=False, pixels=values, photometric="MONOCHROME1", window=None
    )
    assert load_dicom_for_case(path).tolist() == [[255, 127, 0]]


def test_damaged_or_fake_dicom(tmp_path: Path) -> None:
    fake = tmp_path / "fake.dcm"
    fake.write_bytes(b"\0" * 200)
    with pytest.raises(AssetError, match="not a DICOM file"):
        load_dicom_for_case(fake)
    path = make_dicom(tmp_path / "cut.dcm", identified=False)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 1000])
    with pytest.raises(AssetError):
        load_dicom_for_case(path)
