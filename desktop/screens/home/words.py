"""The home screen's sentences: what the core computed, said in plain words (every
string through the one translation mechanism, plurals through ``ngettext``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from courses.assignments import EXAM, Assigned, DueState
from courses.recommend import Kind, Reason, Step, Suggestion
from xiangyi.i18n import _, ngettext

if TYPE_CHECKING:
    from assessments.reliance import RelianceProfile
    from courses.models import Module
    from courses.progress import ModuleState
    from courses.recommend import NextStep
    from courses.study_time import StudyTotals
    from records.home import CertificateLine

Title = Callable[[str], str]  # an id (module, blueprint or domain) → its title


def duration(seconds: float) -> str:
    """Hours and minutes, for study time."""
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return _("{m} min").format(m=minutes)
    return _("{h} h {m} min").format(h=hours, m=minutes)


def study_sentence(study: StudyTotals, year: int) -> str:
    return _(
        "Study time for continuing education: {year_time} in {year}, {total} in all "
        "(lessons {lessons}, cases {cases}, exams {exams})."
    ).format(
        year_time=duration(study.year(year)),
        year=year,
        total=duration(study.total),
        lessons=duration(study.lessons),
        cases=duration(study.cases),
        exams=duration(study.exams),
    )


def due_words(days_left: int) -> str:
    if days_left < 0:
        return ngettext("Overdue by {n} day", "Overdue by {n} days", -days_left).format(
            n=-days_left
        )
    if days_left == 0:
        return _("Due today")
    return ngettext("Due in {n} day", "Due in {n} days", days_left).format(n=days_left)


def assignment_state(item: Assigned, today: date) -> str:
    if item.state == DueState.DONE:
        return _("Done")
    return due_words(item.days_left(today))


def assignment_what(item: Assigned, title: Title) -> str:
    name = title(item.target)
    if item.kind == EXAM:
        if item.via_institution:
            return _("Exam: {title} (for your institution)").format(title=name)
        return _("Exam: {title}").format(title=name)
    if item.via_institution:
        return _("Module: {title} (for your institution)").format(title=name)
    return _("Module: {title}").format(title=name)


def _assigned_sentence(suggestion: Suggestion, name: str) -> str:
    days = suggestion.days_left or 0
    exam = suggestion.kind == Kind.EXAM
    if days < 0:
        if exam:
            text = ngettext(
                "Assigned exam \u201c{title}\u201d was due {n} day ago.",
                "Assigned exam \u201c{title}\u201d was due {n} days ago.",
                -days,
            )
        else:
            text = ngettext(
                "Assigned module \u201c{title}\u201d was due {n} day ago.",
                "Assigned module \u201c{title}\u201d was due {n} days ago.",
                -days,
            )
    elif days == 0:
        text = (
            _("Assigned exam \u201c{title}\u201d is due today.")
            if exam
            else _("Assigned module \u201c{title}\u201d is due today.")
        )
    elif exam:
        text = ngettext(
            "Assigned exam \u201c{title}\u201d is due in {n} day.",
            "Assigned exam \u201c{title}\u201d is due in {n} days.",
            days,
        )
    else:
        text = ngettext(
            "Assigned module \u201c{title}\u201d is due in {n} day.",
            "Assigned module \u201c{title}\u201d is due in {n} days.",
            days,
        )
    return text.format(title=name, n=abs(days))


def suggestion_text(suggestion: Suggestion, title: Title) -> str:
    """One line under "What next"."""
    name = title(suggestion.target)
    if suggestion.kind == Kind.REVIEW:
        return ngettext(
            "{n} case you found hard is due for review.",
            "{n} cases you found hard are due for review.",
            suggestion.count,
        ).format(n=suggestion.count)
    if suggestion.kind == Kind.DOMAIN:
        return _(
            "Your weakest domain is \u201c{domain}\u201d (estimate {percent}%): "
            "practise a few of its cases."
        ).format(domain=name, percent=round(100 * (suggestion.mastery or 0.0)))
    if suggestion.reason == Reason.PREREQUISITE:
        return _(
            "Complete \u201c{title}\u201d first: it opens your assigned module "
            "\u201c{assigned}\u201d, due on {date}."
        ).format(
            title=name,
            assigned=title(suggestion.assigned_target),
            date=suggestion.due.isoformat() if suggestion.due else "",
        )
    if suggestion.reason in (Reason.OVERDUE, Reason.DUE_SOON, Reason.ASSIGNED):
        return _assigned_sentence(suggestion, name)
    if suggestion.reason == Reason.UNFINISHED:
        return _("Continue the module \u201c{title}\u201d where you stopped.").format(title=name)
    return _("Start the module \u201c{title}\u201d.").format(title=name)


def suggestion_button(suggestion: Suggestion) -> str:
    return {
        Kind.REVIEW: _("Start review"),
        Kind.DOMAIN: _("Practise"),
        Kind.EXAM: _("Start exam"),
    }.get(suggestion.kind, _("Open module"))


def progress_words(state: ModuleState) -> str:
    text = _("{read}/{lessons} lessons, {done}/{cases} cases").format(
        read=state.lessons_read,
        lessons=state.lessons_total,
        done=state.practice_done,
        cases=state.practice_total,
    )
    if state.check_passed:
        text += _(", check passed")
    return text


def next_step_words(module: Module, step: NextStep, state: ModuleState, title: Title) -> str:
    if state.locked:
        names = ", ".join(title(p) for p in state.locked_by)
        return _("Locked: first complete {modules}").format(modules=names)
    if step.step == Step.LESSON:
        lesson = module.lessons[step.lesson]
        return _("Lesson {i}: {title}").format(i=step.lesson + 1, title=lesson.title.get())
    if step.step == Step.PRACTICE:
        return _("Practice cases")
    if step.step == Step.CHECK:
        return _("Module check")
    return _("Completed")


def reliance_sentences(profile: RelianceProfile) -> list[str]:
    """How the doctor relied on the AI, in plain words."""
    if profile.cases == 0:
        return [_("No cases decided yet: how you rely on the AI will show here.")]
    wrong = profile.over_reliance + profile.appropriate_override
    right = profile.appropriate_acceptance + profile.under_reliance
    lines = []
    if wrong:
        lines.append(
            ngettext(
                "You followed the AI when it was wrong in {n} of {total} case.",
                "You followed the AI when it was wrong in {n} of {total} cases.",
                wrong,
            ).format(n=profile.over_reliance, total=wrong)
        )
    if right:
        lines.append(
            ngettext(
                "You overrode the AI when it was right in {n} of {total} case.",
                "You overrode the AI when it was right in {n} of {total} cases.",
                right,
            ).format(n=profile.under_reliance, total=right)
        )
    if profile.team_accuracy is not None and profile.ai_accuracy is not None:
        lines.append(
            # The percentages go in whole ("85%"): a literal "% o" would read as a %-format.
            _(
                "Your final reading was right in {team} of cases; the AI alone was right in {ai}."
            ).format(
                team=f"{round(100 * profile.team_accuracy)}%",
                ai=f"{round(100 * profile.ai_accuracy)}%",
            )
        )
    return lines


def certificate_sentence(line: CertificateLine, title: Title) -> str:
    name = title(line.blueprint_id)
    until = line.valid_until.isoformat()
    if line.status == "pending":
        return _("{title} ({code}): waiting for the administrator's signature.").format(
            title=name, code=line.code
        )
    if line.status == "revoked":
        return _("{title} ({code}): revoked.").format(title=name, code=line.code)
    if line.status == "expired":
        return _("{title} ({code}): expired on {date}. Take the exam again to renew it.").format(
            title=name, code=line.code, date=until
        )
    if line.remind:
        return ngettext(
            "{title} ({code}): valid until {date}. It expires in {n} day: plan your "
            "re-certification.",
            "{title} ({code}): valid until {date}. It expires in {n} days: plan your "
            "re-certification.",
            line.days_left,
        ).format(title=name, code=line.code, date=until, n=line.days_left)
    return _("{title} ({code}): valid until {date}.").format(title=name, code=line.code, date=until)
