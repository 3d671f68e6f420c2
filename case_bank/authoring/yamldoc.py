"""One YAML file kept as a round-trip document: edits touch only the changed fields.

ruamel.yaml's round-trip mode keeps key order, flow or block style, quotes, folded
text and blank lines, so a file a trainer wrote by hand comes back byte for byte.
New values are styled the way a trainer writes them: 2-space indent, block style,
short groups and lists in flow style, long text folded at about 100 columns.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
)

from case_bank.yamlsafe import YamlError, load_text
from xiangyi.i18n import _

Path_ = tuple[str | int, ...]
WIDTH = 100  # where new text is folded; existing text is never re-wrapped
# Text YAML would read as a number, date, truth value or nothing: quoted as by hand ("0.1").
_NOT_TEXT = re.compile(
    r"^([-+]?[0-9_.]+([eE][-+]?[0-9]+)?|\d{4}-\d\d-\d\d.*|true|false|yes|no|on|off|null|~)$",
    re.IGNORECASE,
)
KeyOrder = Callable[[Path_], list[str]]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # keep every existing line as it is
    yaml.allow_unicode = True
    return yaml


def parse(text: str) -> Any:
    """The round-trip tree of ``text``; raises YamlError for text that is not YAML."""
    # The safe reader first: it refuses what a case never needs (aliases, tags, nesting
    # thousands deep) in C, quickly, before the round-trip parser (pure Python) sees it.
    load_text(text)
    try:
        return _yaml().load(text)
    except (YAMLError, ValueError, RecursionError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise YamlError(
            _("not valid YAML: {problem}").format(problem=str(exc).splitlines()[0]),
            line + 1 if line is not None else None,
        ) from exc


def dump(tree: Any) -> str:
    """``tree`` written back as text."""
    buffer = io.StringIO()
    _yaml().dump(tree, buffer)
    return buffer.getvalue()


def plain(value: Any) -> Any:
    """A round-trip value as plain dicts, lists, text and numbers."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    return value


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _flow_length(value: Any) -> int:
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 2 + _flow_length(v) + 2 for k, v in value.items())
    if isinstance(value, list):
        return 2 + sum(_flow_length(v) + 2 for v in value)
    return len(str(value)) + 2


def styled_text(text: str, column: int) -> str:
    """``text`` as a trainer writes it: plain when it fits, else folded (``>-``) at WIDTH;
    text with line breaks as a literal block (``|``)."""
    if "\n" in text.strip("\n"):
        return LiteralScalarString(text)
    if _NOT_TEXT.match(text):
        return DoubleQuotedScalarString(text)
    if column + len(text) + 4 <= WIDTH or text != text.strip() or "  " in text:
        # Plain when YAML allows it (quoted otherwise), whatever style the old value had.
        return PlainScalarString(text)
    folded = FoldedScalarString(text)
    limit = max(WIDTH - column - 2, 40)
    folds, start = [], 0
    while len(text) - start > limit:
        cut = text.rfind(" ", start, start + limit + 1)
        if cut <= start:
            break  # no space to fold at (Chinese text): one long line, as by hand
        folds.append(cut)
        start = cut + 1
    folded.fold_pos = folds
    return folded


def styled(value: Any, column: int, in_list: bool = False) -> Any:
    """``value`` as round-trip nodes in the hand-written style, at indentation ``column``."""
    if isinstance(value, str):
        return styled_text(value, column)
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = styled(item, column + 2)
        simple = all(_is_scalar(v) and "\n" not in str(v) for v in value.values())
        bilingual = set(value) == {"zh_CN", "en"}
        if (
            value
            and simple
            and column + _flow_length(value) <= WIDTH
            and (in_list or not bilingual)
        ):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(styled(item, column + 4, in_list=True) for item in value)
        if all(_is_scalar(v) for v in value) and column + _flow_length(value) <= WIDTH:
            seq.fa.set_flow_style()
        return seq
    return value


class YamlDocument:
    """One file's text and round-trip tree; ``key_order`` gives a mapping's canonical keys."""

    def __init__(self, rel: str, text: str, key_order: KeyOrder | None = None) -> None:
        self.rel = rel
        self.saved_text = text
        self.key_order = key_order
        self.tree: Any = None
        self.raw_text: str | None = None  # set when the text cannot be parsed
        self._text: str | None = None
        self.set_text(text)

    def set_text(self, text: str) -> None:
        """Replace the whole content (the raw editor); unreadable text is kept as is."""
        self._text = None
        try:
            self.tree, self.raw_text = parse(text), None
        except YamlError:
            self.tree, self.raw_text = None, text

    @property
    def readable(self) -> bool:
        return self.raw_text is None and isinstance(self.tree, dict)

    def text(self) -> str:
        """The current content as it would be saved (written out once per change)."""
        if self.raw_text is not None:
            return self.raw_text
        if self._text is None:
            self._text = dump(self.tree)
        return self._text

    @property
    def changed(self) -> bool:
        return self.text() != self.saved_text

    def get(self, path: Path_, default: Any = None) -> Any:
        """The plain value at ``path`` (``default`` when absent)."""
        node = self.tree
        for part in path:
            in_map = isinstance(node, dict) and isinstance(part, str) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if in_map or in_list:
                node = node[part]
            else:
                return default
        return plain(node)

    def node(self, path: Path_) -> Any:
        """A copy of the round-trip node at ``path`` (layout included), or None."""
        node = self.tree
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return copy.deepcopy(node)

    def set(self, path: Path_, value: Any, *, node: bool = False) -> None:
        """Set the value at ``path`` (None removes an optional field), changing nothing else.

        With ``node`` the value is a round-trip node put back as it is (undo, redo).
        """
        if not self.readable or not path:
            raise ValueError(path)
        self._text = None
        parent = self._parent(path[:-1], create=value is not None)
        if parent is None:
            return
        last = path[-1]
        if value is None:
            if isinstance(parent, dict) and last in parent:
                del parent[last]
            return
        if node and isinstance(parent, list) and isinstance(last, int):
            parent[last] = value
            return
        if node and isinstance(parent, dict) and last in parent:
            parent[last] = value
            return
        if isinstance(parent, list):
            assert isinstance(last, int)
            if last < len(parent):
                parent[last] = merge(parent[last], value, 2 * len(path), in_list=True)
            else:
                parent.append(styled(value, 2 * len(path), in_list=True))
            return
        assert isinstance(last, str)
        if last in parent:
            parent[last] = merge(parent[last], value, 2 * (len(path) - 1))
        else:
            self._insert(parent, path, styled(value, 2 * (len(path) - 1)))

    def _parent(self, path: Path_, create: bool) -> Any:
        node = self.tree
        for depth, part in enumerate(path):
            if isinstance(node, dict) and isinstance(part, str):
                if part not in node:
                    if not create:
                        return None
                    self._insert(node, path[: depth + 1], CommentedMap())
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                raise ValueError(path)
        return node

    def _insert(self, parent: Any, path: Path_, value: Any) -> None:
        """Insert a new key where the model puts it, so key order stays canonical."""
        key = path[-1]
        order = self.key_order(path[:-1]) if self.key_order else []
        if key not in order:
            parent[key] = value
            return
        rank = order.index(str(key))
        position = sum(1 for k in parent if k in order and order.index(k) < rank)
        parent.insert(position, key, value)


def merge(old: Any, new: Any, column: int, in_list: bool = False) -> Any:
    """``new`` with the nodes (and so the layout) of ``old`` kept wherever they are equal."""
    if plain(old) == new:
        return old
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for index, (key, value) in enumerate(new.items()):
            if key in old:
                old[key] = merge(old[key], value, column + 2)
            elif isinstance(old, CommentedMap):
                old.insert(min(index, len(old)), key, styled(value, column + 2))
            else:
                old[key] = styled(value, column + 2)
        return old
    if isinstance(old, list) and isinstance(new, list):
        # Items are kept in place; only the tail grows or shrinks.
        for index, value in enumerate(new[: len(old)]):
            old[index] = merge(old[index], value, column + 4, in_list=True)
        del old[len(new) :]
        for value in new[len(old) :]:
            old.append(styled(value, column + 4, in_list=True))
        return old
    return styled(new, column, in_list=in_list)
