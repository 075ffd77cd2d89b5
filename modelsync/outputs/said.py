"""What an up-to-date `--check` says, recorded by the run that writes config.yaml, replayed by the check.

The digest line (stamp.py) proves config.yaml is what the inputs render, but a check also
*says* things: warnings (a model its catalog says ends on a date, a key LiteLLM nearly knows)
and, in Markdown or JSON, the report. The writing run records them in `config.yaml.check.json`
beside config.yaml, and the digest line holds that file's sha256, so the fast path can say the
same bytes without rendering. A git-tracked file beside config.yaml, not comment lines in it:
the JSON report lists every skipped model (kilobytes on a large config) and config.yaml is what
LiteLLM and its readers load; JSON holds any text exactly, and a missing or stale file only
sends the check back to rendering.

Text is kept as segments: plain strings, `{"ends": DAY}` where the phrase depends on today
(`(in 12 days)`, written for the check's own day) and `{"path": NAME}` where a warning names one
of the run's files (its absolute path differs from machine to machine). Every message is masked
as the log masks it; a text that masking would change again is not recorded, so no secret and
no difference from the full check can come from here. Standard library only: the fast path
reads this.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from ..core import clock
from ..core.files import write_atomic
from ..core.paths import Paths
from ..core.secrets import mask_text

FORMAT = 1
SUFFIX = ".check.json"
FORMS = ("markdown", "json")  # report forms an up-to-date check prints; text prints none
Segments = list[Any]  # str, {"ends": day} or {"path": field of Paths}


def path_of(config: Path) -> Path:
    """Where the record of `config` lives: beside it, named after it."""
    return config.with_name(config.name + SUFFIX)


class Heard(logging.Handler):
    """The warnings a run logs, as segments, whatever the volume the user asked for."""

    def __init__(self, paths: Paths) -> None:
        super().__init__(logging.WARNING)
        self.paths, self.mark, self.deaf = paths, f"\0{os.urandom(8).hex()}\0", False  # no text holds it
        self.said: list[tuple[int, Segments]] = []
        self.secret = False  # a message masking would change again: nothing can be recorded

    def emit(self, record: logging.LogRecord) -> None:
        if self.deaf:
            return
        with clock.marking(self.mark):  # an Until argument writes its date between marks
            message = mask_text(record.getMessage())
        self.secret |= mask_text(message) != message
        self.said.append((record.levelno, _segments(message, self.mark, self.paths)))

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Not listening: what a fetch says, a check (which never fetches) does not."""
        self.deaf = True
        try:
            yield
        finally:
            self.deaf = False


@contextmanager
def listening(paths: Paths) -> Iterator[Heard]:
    """A Heard on the modelsync log, hearing warnings even under -q; the terminal shows what it did."""
    log = logging.getLogger("modelsync")
    heard, level, shown = Heard(paths), log.level, [(h, h.level) for h in log.handlers]
    for handler, own in shown:  # the terminal's filter moves from the log to its handlers
        handler.setLevel(max(own, log.getEffectiveLevel()))
    log.addHandler(heard)
    log.setLevel(min(log.getEffectiveLevel(), logging.WARNING))
    try:
        yield heard
    finally:
        log.removeHandler(heard)
        log.setLevel(level)
        for handler, own in shown:
            handler.setLevel(own)


def record(heard: Heard, reports: dict[str, str], config: Path) -> str | None:
    """The record's text, or None when something in it is not safe to keep."""
    if heard.secret or any(mask_text(text) != text for text in reports.values()):
        return None
    document = {
        "format": FORMAT,
        "config": config.name,  # the reports name it: a check of another name renders
        "paths": _relative_paths([segments for _, segments in heard.said], heard.paths),
        "warnings": [{"level": level, "text": segments} for level, segments in heard.said],
        **{form: [text] for form, text in reports.items()},  # no date, no path in them: one segment
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write(config: Path, text: str | None) -> None:
    """Keep the record beside config.yaml as `text`, writing only what differs; no record, no file."""
    path = path_of(config)
    try:
        if text is None:
            path.unlink(missing_ok=True)
        elif path.read_bytes() != text.encode():
            write_atomic(path, text)
    except FileNotFoundError:
        write_atomic(path, text or "")


def digest(text: str | None) -> str:
    """The record's sha256, as the digest line holds it; `none` for no record."""
    return hashlib.sha256(text.encode()).hexdigest() if text is not None else "none"


@dataclass(frozen=True)
class Said:
    """A record read back: what to say, for the paths and the day of the check that replays it."""

    document: dict[str, Any]
    paths: Paths
    today: date

    def replay(self, form: str) -> tuple[list[tuple[int, str]], str]:
        """The warnings (level, message) and the report (`""` in text, which prints none) a check says."""
        warnings = [(int(item["level"]), self.text(item["text"])) for item in self.document["warnings"]]
        return warnings, "" if form == "text" else self.text(self.document[form])

    def text(self, segments: Segments) -> str:
        return "".join(self._part(part) for part in segments)

    def _part(self, part: Any) -> str:
        if isinstance(part, str):
            return part
        if "ends" in part:
            return clock.phrase(part["ends"], self.today)
        return str(getattr(self.paths, part["path"]))


def load(paths: Paths, expected: str) -> Said | None:
    """The record beside config.yaml when its sha256 is `expected` and it fits these paths; else None."""
    try:
        data = path_of(paths.config).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != expected:
        return None
    document = json.loads(data)
    relative = {name: str(getattr(paths, name)) for name in document["paths"]}
    if document["format"] != FORMAT or document["config"] != paths.config.name or relative != document["paths"]:
        return None
    return Said(document, paths, clock.today())


# --- segments -------------------------------------------------------------------------------


def _segments(text: str, mark: str, paths: Paths) -> Segments:
    """`text` split at each marked date and at each path of the run."""
    parts = text.split(mark)
    segments: Segments = []
    for index, part in enumerate(parts):
        segments += [{"ends": part}] if index % 2 else _paths_in(part, paths)
    return [s for s in segments if s != ""]


def _paths_in(text: str, paths: Paths) -> Segments:
    named = sorted(((str(getattr(paths, f.name)), f.name) for f in fields(paths)), key=lambda p: -len(p[0]))
    segments: Segments = [text]
    for written, name in named:  # longest first: the cache folder is a prefix of the files in it
        segments = [
            piece
            for segment in segments
            for piece in (_split(segment, written, {"path": name}) if isinstance(segment, str) else [segment])
        ]
    return segments


def _split(text: str, written: str, marker: dict[str, str]) -> Segments:
    pieces = text.split(written)
    return [item for i, piece in enumerate(pieces) for item in ([marker, piece] if i else [piece])]


def _relative_paths(texts: list[Segments], paths: Paths) -> dict[str, str]:
    """The relative paths the texts name: a check must be given the same for the record to hold.
    (An absolute one is not met by chance in other text, so any check may put its own there.)"""
    named = sorted(
        {part["path"] for segments in texts for part in segments if isinstance(part, dict) and "path" in part}
    )
    written = {name: str(getattr(paths, name)) for name in named}
    return {name: value for name, value in written.items() if not Path(value).is_absolute()}
