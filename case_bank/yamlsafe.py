"""YAML reading that is safe for hostile files and remembers where each value was.

Anchors and aliases are refused (content never needs them and they enable
"billion laughs" bombs); only plain mappings, sequences and scalars are built;
every value's line is recorded so a validation message can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from xiangyi.i18n import N_, _

MAX_YAML_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 64
# libyaml's parser when PyYAML was built with it: about 20 times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)

Path_ = tuple[str | int, ...]


class YamlError(Exception):
    """A YAML file could not be read; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class LocatedDocument:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Line of ``path`` or of its nearest ancestor that exists."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get(())


class _Builder:
    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.count = 0
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(_("the file has too many entries"), node.start_mark.line + 1)
        if len(path) > MAX_DEPTH:
            raise YamlError(_("the file is nested too deeply"), node.start_mark.line + 1)
        # An alias makes the composer reuse a node: meeting one twice means "*alias".
        if id(node) in self.seen:
            raise YamlError(
                _("anchors and aliases (& and *) are not allowed"), node.start_mark.line + 1
            )
        self.seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        if node.tag not in ALLOWED_TAGS:
            raise YamlError(
                _("the tag '{tag}' is not allowed").format(tag=node.tag), node.start_mark.line + 1
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlError(_("a key must be plain text"), key_node.start_mark.line + 1)
                key = str(self._scalar(key_node))
                if key in result:
                    raise YamlError(
                        _("the key '{key}' appears twice").format(key=key),
                        key_node.start_mark.line + 1,
                    )
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        # Plain scalars only, resolved with the safe resolver's tags.
        try:
            value = self.constructor.construct_object(node, deep=False)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. a 38th of March
            raise YamlError(_("a value could not be read"), node.start_mark.line + 1) from exc
        self.constructor.constructed_objects.clear()
        return value


# The parser's own words, in English, for the mistakes trainers make most; each becomes
# a translated sentence that says what to do.
_PROBLEMS = (
    ("tab", N_("a tab character was used: indent with spaces only")),
    ("could not find expected ':'", N_("a line is missing the ':' after its field name")),
    (
        "did not find expected key",
        N_("the indentation is wrong: line this field up with the ones above it"),
    ),
    (
        "mapping values are not allowed",
        N_("a ': ' appears inside a value: put that text in quotes"),
    ),
    ("did not find expected ','", N_("a bracket or brace is not closed")),
    ("unexpected end of stream", N_("the file ends too early: a quote or bracket is not closed")),
    ("undefined alias", N_("anchors and aliases (& and *) are not allowed")),
    # PyYAML 6.0.4 and later stop deep nesting themselves, before Python's recursion limit.
    ("maximum nesting depth", N_("the file is nested too deeply")),
    (
        "expected <block end>",
        N_("the indentation is wrong: line this field up with the ones above it"),
    ),
)


def _explain(problem: str) -> str:
    for fragment, message in _PROBLEMS:
        if fragment in problem:
            return _(message)
    return _("not valid YAML: {problem}").format(problem=problem)


def load_text(text: str) -> LocatedDocument:
    """Parse one YAML document from ``text`` with line numbers."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlError(
            _("the file is larger than {limit} KB").format(limit=MAX_YAML_BYTES // 1000)
        )
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except RecursionError as exc:
        raise YamlError(_("the file is nested too deeply")) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise YamlError(_explain(exc.problem or str(exc)), mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlError(_explain(str(exc))) from exc
    if node is None:
        raise YamlError(_("the file is empty"), 1)
    builder = _Builder()
    data = builder.build(node, ())
    return LocatedDocument(data, builder.lines)


def load_file(path: Path) -> LocatedDocument:
    """Read and parse ``path``; size is checked before reading it all."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlError(_("the file cannot be opened")) from exc
    if size > MAX_YAML_BYTES:
        raise YamlError(
            _("the file is larger than {limit} KB").format(limit=MAX_YAML_BYTES // 1000)
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(_("the file is not UTF-8 text")) from exc
    return load_text(text)
