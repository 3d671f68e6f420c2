"""The empty cohort template an administrator fills in: an XLSX workbook (people sheet
plus a notes sheet) or a CSV file in UTF-8 with BOM, so Excel shows the Chinese headers."""

from __future__ import annotations

from pathlib import Path

from records.accounts import MIN_PASSWORD
from xiangyi.i18n import _

# (key, Chinese header, English header); the template writes "中文 / English" and the
# reader accepts either half, the key, or the whole.
COLUMNS = [
    ("username", "用户名", "username"),
    ("name", "姓名", "name"),
    ("role", "角色", "role"),
    ("practising_number", "执业证书编码", "practising number"),
    ("institution", "机构编码或名称", "institution code or name"),
    ("department", "科室", "department"),
    ("title", "职称", "title"),
    ("password", "初始密码", "initial password"),
]


def write_template(path: Path) -> Path:
    """Save an empty cohort template (.xlsx, or .csv in UTF-8 with BOM for Excel)."""
    header = [f"{zh} / {en}" for _key, zh, en in COLUMNS]
    if path.suffix.lower() == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerow(header)
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员 People"
    sheet.append(header)
    for index, _cell in enumerate(header, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 22
    # Practising numbers and user names are text: keep Excel from turning them into numbers.
    for column in ("A", "D", "H"):
        for row in range(2, 1002):
            sheet[f"{column}{row}"].number_format = "@"
    notes = book.create_sheet("说明 Notes")
    for line in _template_notes():
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    book.save(path)
    return path


def _template_notes() -> list[str]:
    return [
        _("One person per row, from row 2 of the first sheet. Required: user name and full name."),
        _("Role: learner, trainer or admin (学员, 培训师, 管理员); empty means learner."),
        _("Institution: its code or its exact name as on this PC."),
        _("Practising number: 6–32 letters, digits or '-'."),
        _(
            "Initial password: at least {n} characters; leave it empty to have one generated. "
            "Everyone chooses their own password at the first sign-in."
        ).format(n=MIN_PASSWORD),
        _("Check the file first (dry run): nothing is written until every row is correct."),
    ]
