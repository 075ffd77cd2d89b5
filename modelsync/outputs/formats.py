"""The change report in three forms: text for terminals, Markdown for pull requests, JSON (report_json.py) for tools."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model.deployment import Key
from ..model.groups import GroupChange
from ..model.retirements import Retired
from . import dollars
from .report import SIGNS, ModelChange, Report, label, retirements
from .report_json import as_json

FOLD_AFTER = 25  # Markdown rows shown per provider; the rest fold into <details>
PR_BODY_LIMIT = 65_536  # characters GitHub keeps of a pull request's body
COLOURS = {"+": "32", "-": "31", "~": "33", "!": "1;31"}


def _label(key: Key, report: Report | None = None) -> str:
    return label(key, report.ambiguous if report else frozenset())


def _printable(value: str) -> str:
    """Text a terminal shows as it is: control characters from a catalog are escaped, never obeyed."""
    return value if value.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)


# --- text ---------------------------------------------------------------------------------


def text(report: Report, verbose: bool = False, colour: bool = False) -> str:
    """One line per model, grouped by provider, counts last; colour only when asked."""

    def paint(sign: str, line: str) -> str:
        return f"\033[{COLOURS[sign]}m{line}\033[0m" if colour else line

    lines = [f"note: {report.note}"] if report.note else []
    if report.held:
        lines.append(
            paint(
                "!",
                f"held for review ({len(report.held)}): kept at their old values; "
                "`python generate.py --accept-held` takes them",
            )
        )
        for (provider, reason), keys in held_by_reason(report).items():
            if len(keys) == 1:
                lines.append(paint("!", _printable(f"  ! {provider}: {_label(keys[0], report)}: {reason}")))
            else:  # one reason for many models (a mass removal): said once, the models listed under it
                lines.append(paint("!", _printable(f"  ! {provider}: {reason}:")))
                lines += [paint("!", _printable(f"      {_label(key, report)}")) for key in keys]
    gone, kept = retirements(report)
    if gone:
        lines.append(paint("-", f"retired ({len(gone)}): no longer in their catalog, left config.yaml"))
        lines += [paint("-", _printable(f"  - {r.id} ({_served_as(r)}): {r.where()}")) for r in gone]
    if kept:
        lines.append(paint("!", f"held retirements ({len(kept)}): no longer in their catalog, {HELD_RETIRED}"))
        lines += [paint("!", _printable(f"  ! {r.id} ({_served_as(r)}): then {r.where()}")) for r in kept]
    if report.retiring:
        lines.append(paint("!", f"retiring ({len(report.retiring)}): still served; the catalog states an end"))
        lines += [
            paint("!", _printable(f"  ! {r.provider}: {_label(r.key, report)}: {r.says()}")) for r in report.retiring
        ]
    lines += [paint(sign, _printable(line)) for sign, line in group_lines(report)]
    for group, counts in report.counts_by_group().items():
        lines.append(f"{group}: " + ", ".join(f"{n} {word}" for word, n in counts.items() if n))
        for change in report.groups[group]:
            note = f"  ({change.note})" if change.note else ""
            lines.append(paint(change.sign, f"  {change.sign} {_printable(change.label(report.ambiguous))}{note}"))
            lines += [f"      {_printable(line)}" for line in change.summary]
            lines += [f"      {_printable(field.describe())}" for field in change.fields]
    if report.settings:
        lines.append("settings:")
        lines += [paint("~", f"  ~ {field.describe()}") for field in report.settings]
    for provider, skipped in sorted(report.skipped.items()):
        if skipped:
            lines.append(f"{provider}: {len(skipped)} skipped")
            if verbose:
                lines += [_printable(f"  ! {model_id}: {reason}") for model_id, reason in sorted(skipped)]
    lines += dollars.text_lines(report)
    lines.append(f"total: {_summary(report)}")
    return "\n".join(lines) + "\n"


HELD_RETIRED = "still served in config.yaml (held for review); `python generate.py --accept-held` retires them"


def group_lines(report: Report) -> list[tuple[str, str]]:
    """Bare-id groups: members that joined or left, and ties the matcher broke by a rule."""
    if not report.group_changes:
        return []
    lines = [("~", "groups (bare ids in overrides.yaml):")]
    for change in report.group_changes:
        lines.append(("~", f"  {change.name}: {_group_state(change)}"))
        lines += [("+", f"    + {provider} joins ({route})") for provider, route in change.joined]
        lines += [("-", f"    - {provider} leaves ({route})") for provider, route in change.left]
        lines += [("!", f"    ? {tie}") for tie in change.ties]
    return lines


def _group_state(change: GroupChange) -> str:
    return "new group" if change.new else "members changed" if change.joined or change.left else "unchanged"


def held_by_reason(report: Report) -> dict[tuple[str, str], list[Key]]:
    """Held changes grouped by provider and reason, so a reason shared by many models is said once."""
    groups: dict[tuple[str, str], list[Key]] = {}
    for held in report.held:
        groups.setdefault((held.provider, held.reason), []).append(held.key)
    return groups


def _summary(report: Report) -> str:
    counts = report.counts()
    if not report.has_changes():
        what = "no model or settings changes" + (" (layout or comments differ)" if report.changed else "")
    else:
        what = ", ".join(f"{n} {word}" for word, n in counts.items()) + (" deployments" if any(counts.values()) else "")
        if report.settings:
            what += f"; {len(report.settings)} settings changed"
    before = "" if report.before is None else f" (was {report.before})"
    return f"{what}; {report.after} deployments{before}"


# --- Markdown -----------------------------------------------------------------------------


def markdown(report: Report, config_name: str = "config.yaml") -> str:
    """A pull-request body: held changes first, counts per provider, then each provider's models."""
    out = [f"## {config_name}: {_summary(report)}", ""]
    if report.note:
        out += [f"> {report.note}", ""]
    if report.held:
        out += [
            f"### ⚠️ Held for review ({len(report.held)})",
            "",
            "These changes look wrong and kept their old values; after review, run `python generate.py --accept-held`.",
            "",
            "| provider | deployment | reason |",
            "|---|---|---|",
        ]
        out += [
            f"| {provider} | {_deployments_cell(keys, report)} | {_cell(reason)} |"
            for (provider, reason), keys in held_by_reason(report).items()
        ]
        out.append("")
    out += dollars.markdown_lines(report)
    out += _markdown_retirements(report)
    if report.group_changes:
        out += ["### Groups", "", *_markdown_groups(report), ""]
    skipped = {provider: len(items) for provider, items in report.skipped.items() if items}
    groups = sorted(set(report.groups) | set(skipped))
    if groups:
        out += ["| provider | added | removed | changed | skipped |", "|---|---:|---:|---:|---:|"]
        by_group = report.counts_by_group()
        for group in groups:
            counts = by_group.get(group, dict.fromkeys(SIGNS.values(), 0))
            out.append(
                f"| {group} | {counts['added']} | {counts['removed']} | {counts['changed']} | {skipped.get(group, 0)} |"
            )
        out.append("")
    for group, changes in report.groups.items():
        changes = sorted(changes, key=lambda c: "~-+".index(c.sign))  # what moved first: it needs review most
        out += [f"### {group}", "", *_table([_row(change, report) for change in changes[:FOLD_AFTER]])]
        rest = changes[FOLD_AFTER:]
        if rest:  # every change is listed; the long tail folds, so the body stays readable
            out += [f"<details><summary>{len(rest)} more {group} changes ({_counted(rest)})</summary>", ""]
            out += [*_folded(rest, report), "</details>", ""]
    if report.settings:
        out += ["### settings", ""] + [f"- {_cell(f.describe())}" for f in report.settings]
    body = "\n".join(out).rstrip("\n") + "\n"
    if len(body) > PR_BODY_LIMIT:  # GitHub cuts a longer body: say so where it is still read
        note = (
            f"> This report is {len(body):,} characters, more than a pull request shows ({PR_BODY_LIMIT:,}); "
            "the workflow's job summary has it whole."
        )
        body = body.replace("\n\n", f"\n\n{note}\n\n", 1)
    return body


def _markdown_groups(report: Report) -> list[str]:
    """Each group a list item, its members' moves nested under it (text's signs would read as bullets)."""
    out = []
    for change in report.group_changes:
        out.append(f"- {_code(change.name)}: {_group_state(change)}")
        out += [f"  - joins: {_cell(provider)} ({_code(route)})" for provider, route in change.joined]
        out += [f"  - leaves: {_cell(provider)} ({_code(route)})" for provider, route in change.left]
        out += [f"  - tie: {_cell(tie)}" for tie in change.ties]
    return out


def _table(rows: list[str]) -> list[str]:
    return ["| | deployment | what changed |", "|---|---|---|", *rows, ""]


def _folded(changes: list[ModelChange], report: Report) -> list[str]:
    """The long tail: changed models as table rows; added and removed ones, which have no details,
    as one compact list each, so that hundreds of them keep the body within GitHub's 65,536 characters."""
    out = _table([_row(c, report) for c in changes if c.sign == "~"]) if any(c.sign == "~" for c in changes) else []
    for sign, word in (("-", "removed"), ("+", "added")):
        names = [
            _code(c.label(report.ambiguous)) + (f" ({c.brief})" if c.brief else "") for c in changes if c.sign == sign
        ]
        if names:
            out += [f"**{word} ({len(names)}):** " + ", ".join(names), ""]
    return out


def _counted(changes: list[ModelChange]) -> str:
    return ", ".join(f"{n} {word}" for sign, word in SIGNS.items() if (n := sum(c.sign == sign for c in changes)))


def _markdown_retirements(report: Report) -> list[str]:
    gone, kept = retirements(report)
    left = "No longer in their provider's catalog, so they left config.yaml. Delete their lines in overrides.yaml."
    out = _retired_table(report, gone, "Retired", left)
    stayed = f"No longer in their provider's catalog, but {HELD_RETIRED}; then delete their lines in overrides.yaml."
    out += _retired_table(report, kept, "Held retirements", stayed)
    if report.retiring:
        out += [
            f"### Retiring ({len(report.retiring)})",
            "",
            "Still served, but their catalog states when they end: plan a replacement.",
            "",
            "| provider | deployment | ends |",
            "|---|---|---|",
        ]
        out += [f"| {r.provider} | {_code(_label(r.key, report))} | {_cell(r.date)} |" for r in report.retiring]
        out.append("")
    return out


def _retired_table(report: Report, retired: list[Any], title: str, says: str) -> list[str]:
    if not retired:
        return []
    out = [f"### {title} ({len(retired)})", "", says, "", "| model | deployment | overrides.yaml line to delete |"]
    out.append("|---|---|---|")
    for r in retired:
        line = f"{r.line}: {_code(r.text or '')}" if r.line else f"models[{r.index}]"
        out.append(f"| {_code(r.id)} | {_code(_label(r.key, report))} | {line} |")
    return [*out, ""]


def _deployments_cell(keys: list[Key], report: Report) -> str:
    """One deployment as code; many as a count with the list folded."""
    if len(keys) == 1:
        return _code(_label(keys[0], report))
    listed = ", ".join(_code(_label(key, report)) for key in keys)
    return f"<details><summary>{len(keys)} deployments</summary>{listed}</details>"


def _row(change: ModelChange, report: Report) -> str:
    what = "<br>".join(
        [*(_cell(line) for line in change.summary), *(_cell(f.describe()) for f in change.fields)]
        + ([_cell(change.note)] if change.note else [])
    )
    return f"| {change.sign if change.sign != '~' else '±'} | {_code(change.label(report.ambiguous))} | {what} |"


def _cell(value: str) -> str:
    """Text that cannot break a table row, whatever a catalog put in it."""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _code(value: str) -> str:
    return f"`{_cell(value)}`" if "`" not in value else _cell(value)


# The forms for tools, by the name --report gives them; text, for terminals, takes options of its own.
FOR_TOOLS: dict[str, Callable[[Report, str], str]] = {"markdown": markdown, "json": as_json}


def _served_as(retired: Retired) -> str:
    """The deployment a retired model was, without repeating the name it is listed under."""
    name, route, _ = retired.key
    return route if name in (route, retired.id) else f"as {name}, {route}"
