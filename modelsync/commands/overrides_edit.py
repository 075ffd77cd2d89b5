"""Edit a list of overrides.yaml in place, for `add` and `remove`; every other byte stays as written.

ruamel.yaml's round-trip parser says where each key and list item is (line and column), so a
block-style list is edited line by line there: comments, blank lines, quoting, order and line
endings (LF or CRLF) of the rest of the file stay as they were. A flow-style list (`[a, b]`) is
re-emitted by ruamel.yaml, and only the lines that list spans change. Only add and remove import
this module (ruamel.yaml is not loaded on any other path).
"""

from __future__ import annotations

import difflib
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from ..core.errors import InputError
from ..outputs.render import block

COMMENT_OR_BLANK = re.compile(r"^[ \t]*(#.*)?$")


class Lines:
    """The file as lines, each keeping its own line ending; edits use the file's usual one."""

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += self.newline
        self.data = _parse(text, path)

    def text(self) -> str:
        return "".join(self.lines)

    def line(self, index: int) -> str:
        return self.lines[index].rstrip("\r\n")

    def put(self, at: int, new: list[str], replace: int = 0) -> None:
        """Replace `replace` lines from `at` by `new` (written without line endings)."""
        self.lines[at : at + replace] = [line + self.newline for line in new]


def _parse(text: str, path: Path) -> CommentedMap:
    try:
        data = _yaml().load(text.replace("\r\n", "\n"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise InputError(
            f"{path}: {where}: not valid YAML ({exc.problem})", "fix it, then run the command again"
        ) from None
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise InputError(f"{path}: the file holds a {type(data).__name__}, not a mapping", "see the README")
    return data


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the user wrote on one
    return yaml


def append_item(text: str, path: Path, section: str, item: str | dict[str, Any]) -> str:
    """overrides.yaml's text with `item` appended to the list under the top-level `section`."""
    doc = Lines(text, path)
    items = doc.data.get(section)
    if section not in doc.data:
        if doc.lines and doc.line(len(doc.lines) - 1).strip():
            doc.put(len(doc.lines), [""])
        doc.put(len(doc.lines), [f"{section}:", *_item_lines(item, "  ")])
    elif items is None or (isinstance(items, CommentedSeq) and not items):
        key_line = doc.data.lc.key(section)[0]
        doc.put(key_line, [_without_value(doc.line(key_line), section), *_item_lines(item, "  ")], replace=1)
    elif not isinstance(items, CommentedSeq):
        raise InputError(f"{path}: {section}: is a {type(items).__name__}, not a list", f"write {section}: as a list")
    elif items.fa.flow_style():
        items.append(item)
        _reemit(doc, text)
    else:
        last = len(items) - 1
        dash = _dash_column(doc, items, last)
        doc.put(_item_end(doc, items, last, section), _item_lines(item, " " * dash))
    return doc.text()


def remove_items(text: str, path: Path, section: str, indexes: list[int]) -> str:
    """overrides.yaml's text without the items at `indexes` of the top-level `section` list."""
    doc = Lines(text, path)
    items = doc.data[section]
    if items.fa.flow_style():
        for index in sorted(indexes, reverse=True):
            del items[index]
        _reemit(doc, text)
        return doc.text()
    for index in sorted(indexes, reverse=True):
        start = items.lc.item(index)[0]
        end = _item_end(doc, items, index, section)
        doc.put(start, [], replace=end - start)
    if len(indexes) == len(items):  # nothing left: say so, or `section:` would read as null
        key_line = doc.data.lc.key(section)[0]
        doc.put(key_line, [_empty_list(doc.line(key_line), section)], replace=1)
    return doc.text()


def _item_end(doc: Lines, items: CommentedSeq, index: int, section: str) -> int:
    """The line after item `index`'s last line of content (comments and blank lines after it stay)."""
    start: int = items.lc.item(index)[0]
    limit = items.lc.item(index + 1)[0] if index + 1 < len(items) else _next_key_line(doc, section)
    end = start + 1
    for number in range(start + 1, limit):
        if not COMMENT_OR_BLANK.match(doc.line(number)):
            end = number + 1
    return end


def _next_key_line(doc: Lines, section: str) -> int:
    keys = list(doc.data)
    position = keys.index(section)
    return int(doc.data.lc.key(keys[position + 1])[0]) if position + 1 < len(keys) else len(doc.lines)


def _dash_column(doc: Lines, items: CommentedSeq, index: int) -> int:
    line, column = items.lc.item(index)
    return doc.line(line).rindex("-", 0, column)


def _item_lines(item: str | dict[str, Any], indent: str) -> list[str]:
    """One list item in block style, nested mappings and lists too, every leaf a safe YAML scalar."""
    return block([item], len(indent)).split("\n")


KEY_LINE = r"^(?P<key>[\"']?{section}[\"']?[ \t]*:)(?P<value>[ \t]*(\[[ \t]*\]|~|null|Null|NULL))?(?P<rest>.*)$"


def _without_value(line: str, section: str) -> str:
    """`models: []  # none` → `models:  # none`, ready for block items below it."""
    match = re.match(KEY_LINE.format(section=re.escape(section)), line)
    if match is None:  # the key's value is on a later line; keep it
        return line
    rest = match["rest"]
    return match["key"] + (rest if rest.strip() else "")


def _empty_list(line: str, section: str) -> str:
    """`models:  # mine` → `models: []  # mine`, once the last item is gone."""
    match = re.match(KEY_LINE.format(section=re.escape(section)), line)
    if match is None:
        return line
    return f"{match['key']} []{match['rest']}"


def _reemit(doc: Lines, text: str) -> None:
    """Let ruamel.yaml write the edited document, and take from it only the lines the edit changed."""
    unchanged = _dump(_parse(text, doc.path))
    edited = _dump(doc.data)
    original = [line.rstrip("\r\n") for line in doc.lines]
    patched = _patch(original, unchanged, edited)
    lines = patched if patched is not None else edited
    if not _comments(original) <= _comments(lines):
        raise InputError(
            f"{doc.path}: this edit cannot keep the comments inside a [flow, list] written over several lines",
            "write that list as a block list, one `- item` per line, and run the command again",
        )
    doc.lines = [line + doc.newline for line in lines]


TRAILING_COMMENT = re.compile(r"^(?P<content>.*?\S)(?P<gap>[ \t]+)(?P<comment>#.*)$")


def _comments(lines: list[str]) -> Counter[str]:
    return Counter(match["comment"] for line in lines if (match := TRAILING_COMMENT.match(line)))


def _keep_gap(old: str, new: str) -> str:
    """`new` with the spaces before its comment as `old` had them (ruamel.yaml aligns to a column)."""
    before, after = TRAILING_COMMENT.match(old), TRAILING_COMMENT.match(new)
    if before is None or after is None or before["comment"] != after["comment"]:
        return new
    return after["content"] + before["gap"] + after["comment"]


def _dump(data: Any) -> list[str]:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue().splitlines()


def _patch(original: list[str], unchanged: list[str], edited: list[str]) -> list[str] | None:
    """The edit that turns `unchanged` into `edited`, applied to `original`; None if they do not line up."""
    to_original = {}
    for a, b, size in difflib.SequenceMatcher(None, unchanged, original, autojunk=False).get_matching_blocks():
        to_original.update({a + k: b + k for k in range(size)})
    to_original[len(unchanged)] = len(original)
    result, done = [], 0
    opcodes = difflib.SequenceMatcher(None, unchanged, edited, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        start = to_original.get(i1 - 1, -2) + 1 if i1 > 0 else 0
        end = to_original.get(i2)
        if start < 0 or end is None or original[start:end] != unchanged[i1:i2]:
            return None
        replaced = edited[j1:j2]
        if tag == "replace" and i2 - i1 == j2 - j1:
            replaced = [_keep_gap(before, after) for before, after in zip(original[start:end], replaced, strict=True)]
        result += original[done:start] + replaced
        done = end
    return result + original[done:]
