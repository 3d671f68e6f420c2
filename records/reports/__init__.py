"""Competency records, institution summaries and their exports (Qt-free).

Public API (stable: the report screen and the record bundles call these; all read-only
except ``export_report``, which writes a file and an audit entry):

Content
    ``catalogue.load_catalogue(db, data_dir) -> Catalogue`` (built-in and installed
    cases and modules); ``catalogue.builtin_catalogue()``.

Records
    ``record.build_report(db, catalogue, *, institution_id=None, today=None,
    progress=None, cancelled=None) -> Report``: the ``CompetencyRecord`` of every doctor
    (learner account) of an institution and those below it, or of everyone; a handful
    of bulk queries whatever the size. ``Report.records``, ``Report.institutions``,
    ``Report.scope``, ``Report.as_of``. ``record.Cancelled`` is raised when
    ``cancelled()`` turns true.

Summaries (what the administrator report screen charts)
    ``summary.institution_summaries(report, *, total=True) -> list[InstitutionSummary]``:
    per institution doctors, study hours, certification pass rate, certified doctors,
    mean level per domain, over-reliance and critical-error rates overall and
    ``by_ai_kind`` (``KindRates``), then the total (``institution_id`` None).
    ``summary.domain_rows(report) -> list[DomainRow]``: per institution and domain the
    mean mastery, mean level and doctors at each level.
    ``summary.ai_kind_rows(summaries) -> list[KindRow]``: one row per institution and
    AI kind.

Columns (defined once; the screen shows what the files contain)
    ``columns.DOCTOR_COLUMNS``, ``INSTITUTION_COLUMNS``, ``AI_KIND_COLUMNS``,
    ``DOMAIN_COLUMNS``: tuples of ``ColumnSpec(key, zh, en, type, width, get)``;
    ``columns.values(columns, row, lang)`` gives the stored values,
    ``columns.display(spec, row, lang)`` the text a table cell shows,
    ``columns.headers(columns, lang)`` and ``columns.display_rows(columns, rows, lang)``
    a whole table for the screen, ``spec.header(lang)`` one header.

Exports (each takes ``progress(done, total)`` and ``cancelled() -> bool``, writes to a
temporary file and moves it into place only when complete)
    ``tabular.write_xlsx(report, target, *, lang)``, ``tabular.write_csv(report,
    target, *, lang)``, ``pdf.write_pdf(report, target)``,
    ``xapi.statements(db, catalogue, *, institution_id=None, user_ids=None)`` (an
    iterator of statement dicts) and ``xapi.write_xapi(db, catalogue, target, *,
    institution_id=None)``; ``files.file_name(scope, kind, extension)``.
    ``service.export_report(db, actor, kind, out, catalogue, *, institution_id=None,
    lang="zh_CN", progress=None, cancelled=None) -> ExportResult``: administrators
    only, audited, ``out`` a folder or a file. A screen runs it with
    ``desktop.task_progress.run_with_progress`` (its ``work(progress, cancelled)``
    matches) and treats ``record.Cancelled`` as a quiet stop.
"""
