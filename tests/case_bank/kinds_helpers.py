"""Helpers for case-bank tests: a writable copy of the kinds pack, case edits, DICOM files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

KINDS_PACK = Path(__file__).parent / "fixtures" / "kinds_pack"


def copy_pack(tmp_path: Path, name: str = "pack") -> Path:
    """A fresh, writable copy of the kinds pack."""
    target = tmp_path / name
    shutil.copytree(KINDS_PACK, target)
    return target


def read_case(folder: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load((folder / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_case(folder: Path, name: str, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    (folder / "cases" / f"{name}.yaml").write_text(text, encoding="utf-8")


def edit_case(folder: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load ``cases/name.yaml``, let ``change`` edit the dict in place, write it back."""
    data = read_case(folder, name)
    change(data)
    write_case(folder, name, data)


def make_dicom(
    path: Path,
    *,
    identified: bool = True,
    pixels: np.ndarray | None = None,
    photometric: str = "MONOCHROME2",
    window: tuple[float, float] | None = (1000.0, 2000.0),
) -> Path:
    """Write a small uncompressed DICOM image; with ``identified`` it names the patient."""
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

    if pixels is None:
        pixels = (np.arange(32 * 48).reshape(32, 48) % 4096).astype(np.uint16)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "DX"
    ds.PatientAge = "045Y"
    ds.PatientSex = "M"
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleSlope = 1
    ds.RescaleIntercept = 0
    if window is not None:
        ds.WindowCenter, ds.WindowWidth = window
    ds.PixelData = pixels.astype(np.uint16).tobytes()
    if identified:
        ds.PatientName = "Zhang^San"
        ds.PatientID = "330102196501011234"
        ds.PatientBirthDate = "19650101"
        ds.InstitutionName = "County People's Hospital"
        ds.ReferringPhysicianName = "Li^Si"
        ds.StudyDate = "20240301"
        ds.AccessionNumber = "A123"
        ds.OtherPatientIDs = "X-99"
        block = ds.private_block(0x0009, "ACME 1.0", create=True)
        block.add_new(0x01, "LO", "bed 12, ward 3")
    ds.save_as(path, enforce_file_format=True)
    return path
