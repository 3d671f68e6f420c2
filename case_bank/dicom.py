"""DICOM images: de-identification on import, refusal of identified files, windowing.

A case may only show a DICOM file that carries no patient identifiers. Trainers
run :func:`deidentify_file` (or :func:`strip_identifiers`) when they import an
image; :func:`load_dicom_for_case` refuses any file that still names the patient,
the institution or the staff, carries dates, private tags, or text burned into
the pixels. The tags follow the Basic Application Level Confidentiality Profile
of DICOM PS3.15 (Annex E) with the Retain Patient Characteristics Option: age,
sex, size and weight stay, as a case needs them.

pydicom and numpy are imported only when a file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from case_bank.assets import MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, AssetError, check_content, check_size
from xiangyi.i18n import _

if TYPE_CHECKING:
    import numpy as np
    from pydicom.dataelem import DataElement
    from pydicom.dataset import Dataset

MAX_DICOM_BYTES = MAX_IMAGE_BYTES

# PS3.15 Table E.1-1 action Z: keep the attribute, empty its value.
EMPTIED = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "AccessionNumber",
    "StudyID",
    "ReferringPhysicianName",
    "StudyDate",
    "StudyTime",
)

# Action X: remove the attribute.
REMOVED = (
    "PatientBirthTime",
    "OtherPatientIDs",
    "OtherPatientIDsSequence",
    "OtherPatientNames",
    "PatientBirthName",
    "PatientMotherBirthName",
    "PatientAddress",
    "PatientTelephoneNumbers",
    "IssuerOfPatientID",
    "MedicalRecordLocator",
    "MilitaryRank",
    "BranchOfService",
    "EthnicGroup",
    "Occupation",
    "PatientReligiousPreference",
    "CountryOfResidence",
    "RegionOfResidence",
    "CurrentPatientLocation",
    "AdditionalPatientHistory",
    "PatientComments",
    "ResponsiblePerson",
    "ResponsibleOrganization",
    "PatientInsurancePlanCodeSequence",
    "ReferencedPatientSequence",
    "InstitutionName",
    "InstitutionAddress",
    "InstitutionalDepartmentName",
    "InstitutionCodeSequence",
    "ReferringPhysicianAddress",
    "ReferringPhysicianTelephoneNumbers",
    "ReferringPhysicianIdentificationSequence",
    "PhysiciansOfRecord",
    "PhysiciansOfRecordIdentificationSequence",
    "PerformingPhysicianName",
    "PerformingPhysicianIdentificationSequence",
    "NameOfPhysiciansReadingStudy",
    "PhysiciansReadingStudyIdentificationSequence",
    "OperatorsName",
    "OperatorIdentificationSequence",
    "RequestingPhysician",
    "ScheduledPerformingPhysicianName",
    "StationName",
    "DeviceSerialNumber",
    "RequestAttributesSequence",
    "PerformedProcedureStepID",
    "SeriesDate",
    "AcquisitionDate",
    "ContentDate",
    "InstanceCreationDate",
    "PerformedProcedureStepStartDate",
    "SeriesTime",
    "AcquisitionTime",
    "ContentTime",
    "InstanceCreationTime",
    "PerformedProcedureStepStartTime",
    "AcquisitionDateTime",
    "StudyDescription",
    "SeriesDescription",
    "RequestedProcedureDescription",
    "PerformedProcedureStepDescription",
    "ImageComments",
)

# Action U: replace with a new UID (consistently within one file).
REPLACED_UIDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID")

IDENTIFYING = frozenset(EMPTIED + REMOVED)
PRIVATE_TAGS = "private tags"


def _has_value(element: DataElement) -> bool:
    value = element.value
    if value is None:
        return False
    if element.VR == "SQ":
        return len(value) > 0
    return str(value).strip() != ""


def find_identifiers(dataset: Dataset) -> list[str]:
    """Keywords of identifying attributes that still have a value (sequences included)."""
    found: set[str] = set()
    for element in dataset.iterall():
        if element.tag.is_private:
            found.add(PRIVATE_TAGS)
        elif element.keyword in IDENTIFYING and _has_value(element):
            found.add(element.keyword)
    return sorted(found)


def strip_identifiers(dataset: Dataset) -> Dataset:
    """Remove patient identifiers from ``dataset`` in place (PS3.15 basic profile) and return it.

    Identifying attributes are emptied or removed, private tags removed, instance
    UIDs replaced, and the dataset marked ``PatientIdentityRemoved: YES``.
    """
    from pydicom.uid import generate_uid

    dataset.remove_private_tags()
    new_uids: dict[str, str] = {}

    def visit(ds: Dataset, element: DataElement) -> None:
        keyword = element.keyword
        if keyword in REMOVED:
            del ds[element.tag]
        elif keyword in EMPTIED:
            element.value = [] if element.VR == "SQ" else ""
        elif keyword in REPLACED_UIDS and element.value:
            element.value = new_uids.setdefault(str(element.value), generate_uid())

    dataset.walk(visit)
    dataset.PatientIdentityRemoved = "YES"
    dataset.DeidentificationMethod = "DICOM PS3.15 Basic Profile; Retain Patient Characteristics"
    meta = getattr(dataset, "file_meta", None)
    if meta is not None and "SOPInstanceUID" in dataset:
        meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    return dataset


def read_dataset(path: Path) -> Dataset:
    """Read a DICOM file (with the ``DICM`` preamble), checking its size first."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    check_size(path, MAX_DICOM_BYTES)
    check_content(path)
    try:
        return pydicom.dcmread(path)
    except (InvalidDicomError, OSError, ValueError, KeyError, EOFError) as exc:
        raise AssetError(_("DICOM file {name} is damaged").format(name=path.name)) from exc


def deidentify_file(source: Path, target: Path) -> list[str]:
    """Write a de-identified copy of ``source`` to ``target``; returns what was removed."""
    dataset = read_dataset(source)
    removed = find_identifiers(dataset)
    strip_identifiers(dataset)
    dataset.save_as(target, enforce_file_format=True)
    return removed


def _first(value: Any) -> float:
    """A DICOM number that may be multi-valued (the first value counts)."""
    try:
        return float(value[0])
    except TypeError:
        return float(value)


def to_pixels(dataset: Dataset, window: tuple[float, float] | None = None) -> np.ndarray:
    """The first frame as 8-bit grey, rescaled (slope, intercept) and windowed.

    ``window`` is (centre, width) in rescaled units; without it the file's window
    is used, and without that the full range of the image.
    """
    import numpy as np

    rows, cols = int(getattr(dataset, "Rows", 0)), int(getattr(dataset, "Columns", 0))
    if not (0 < rows <= MAX_IMAGE_SIDE and 0 < cols <= MAX_IMAGE_SIDE):
        raise AssetError(
            _("the DICOM image is {width} × {height} pixels; the limit is {limit}").format(
                width=cols, height=rows, limit=MAX_IMAGE_SIDE
            )
        )
    if int(getattr(dataset, "SamplesPerPixel", 1)) != 1:
        raise AssetError(_("only greyscale DICOM images can be used"))
    try:
        data = dataset.pixel_array
    except Exception as exc:  # pydicom raises many kinds for unsupported encodings
        raise AssetError(
            _("the DICOM pixel data cannot be read; save it uncompressed and try again")
        ) from exc
    if data.ndim == 3:
        data = data[0]
    slope = _first(getattr(dataset, "RescaleSlope", 1) or 1)
    intercept = _first(getattr(dataset, "RescaleIntercept", 0) or 0)
    values = data.astype(np.float64) * slope + intercept
    if window is None and "WindowCenter" in dataset and "WindowWidth" in dataset:
        window = (_first(dataset.WindowCenter), _first(dataset.WindowWidth))
    if window is None:
        low, high = float(values.min()), float(values.max())
        window = ((low + high) / 2 + 0.5, max(high - low + 1, 1.0))
    centre, width = window
    if width <= 1:
        scaled = np.where(values <= centre - 0.5, 0.0, 255.0)
    else:
        # DICOM PS3.3 C.11.2.1.2.1: the linear VOI function.
        scaled = ((values - (centre - 0.5)) / (width - 1) + 0.5) * 255.0
    pixels = np.clip(scaled, 0, 255).round().astype(np.uint8)
    if str(getattr(dataset, "PhotometricInterpretation", "")) == "MONOCHROME1":
        pixels = 255 - pixels
    return pixels


def load_dicom_for_case(path: Path, window: tuple[float, float] | None = None) -> np.ndarray:
    """A de-identified DICOM image as 8-bit grey; refuses a file that identifies anyone."""
    dataset = read_dataset(path)
    identifiers = find_identifiers(dataset)
    if identifiers:
        raise AssetError(
            _(
                "DICOM file {name} still carries patient identifiers ({tags}); "
                "de-identify it before using it in a pack"
            ).format(name=path.name, tags=", ".join(identifiers))
        )
    if str(getattr(dataset, "BurnedInAnnotation", "")).upper() == "YES":
        raise AssetError(
            _(
                "DICOM file {name} has text burned into the image; it may identify the patient"
            ).format(name=path.name)
        )
    return to_pixels(dataset, window)
