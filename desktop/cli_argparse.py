"""argparse's own messages (usage, help, errors) through our translation catalogue.

argparse looks up its module-level ``_`` and ``ngettext`` on every call, so pointing
them at ours translates "usage:", "options" and the error lines like everything else.
The strings below are argparse's (Python 3.11), marked so Babel extracts them.
"""

from __future__ import annotations

import argparse

from xiangyi import i18n
from xiangyi.i18n import N_

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("one of the arguments %s is required"),
)


def translate_argparse() -> None:
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
