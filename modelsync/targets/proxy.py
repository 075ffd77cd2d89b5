"""The second target: a running proxy's model table, read with `current()`, changed with `apply(plan)`.

We own only rows carrying our marker (targets/ownership.py). A model someone added by hand or
in the UI is never updated or deleted, nor is a model from the proxy's config file (the API
refuses those: "Cannot edit config-based model"). Each write changes one row, so a push that
stops half-way leaves every row as it was or as planned, and the next push converges.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from .admin_api import AdminApi, ProxyError, Unsure
from .ownership import Body, as_sent, content_hash, deployment_id, edited, marked, marker_of

log = logging.getLogger("modelsync")


@dataclass(frozen=True)
class Row:
    """One model the proxy serves, as /v2/model/info reads it back."""

    id: str
    model_name: str
    params: dict[str, Any]
    info: dict[str, Any]

    @classmethod
    def read(cls, data: dict[str, Any]) -> Row:
        info = data.get("model_info") or {}
        return cls(str(info.get("id", "")), str(data.get("model_name", "")), data.get("litellm_params") or {}, info)

    @property
    def marker(self) -> dict[str, Any] | None:
        return marker_of(self.info) if self.info.get("db_model") else None

    @property
    def sent(self) -> Body:
        """The deployment as we sent it (only for our rows)."""
        assert self.marker is not None
        return as_sent(self.model_name, self.params, self.info, self.marker)


@dataclass(frozen=True)
class Drift:
    id: str
    model_name: str
    why: str  # "edited on the proxy" / "missing from the proxy"


@dataclass(frozen=True)
class Plan:
    """What reconciling the proxy takes, row by row."""

    create: tuple[Body, ...] = ()
    update: tuple[Body, ...] = ()  # params only changed or added: one PATCH each
    replace: tuple[Body, ...] = ()  # a param removed, which PATCH cannot do: delete, then create
    delete: tuple[Row, ...] = ()
    kept: int = 0
    drift: tuple[Drift, ...] = ()
    foreign: int = 0  # rows someone else made: left alone

    @property
    def writes(self) -> int:
        return len(self.create) + len(self.update) + 2 * len(self.replace) + len(self.delete)


@dataclass
class Applied:
    """What a push did, counted as it went, so a push that stops can say how far it got."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.deleted)} deleted"


class ProxyTarget:
    """A proxy's model table: what it holds, the plan to make it hold `wanted`, and applying it."""

    def __init__(self, api: AdminApi) -> None:
        self.api = api

    def current(self) -> list[Row]:
        return [Row.read(data) for data in self.api.rows()]

    def previous(self, rows: list[Row]) -> list[Body]:
        """Our rows as deployments, as we sent them: what the change report compares against."""
        return [row.sent for row in rows if row.marker is not None]

    def plan(self, rows: list[Row], wanted: list[Body]) -> Plan:
        ours = {row.id: row for row in rows if row.marker is not None}
        refuse_taken_ids(rows, wanted)
        create: list[Body] = []
        update: list[Body] = []
        replace: list[Body] = []
        drift: list[Drift] = []
        for body in wanted:
            row = ours.pop(deployment_id(body), None)
            if row is None:
                create.append(marked(body))
                drift.append(Drift(deployment_id(body), body["model_name"], "missing from the proxy"))
                continue
            was_edited = edited(row.sent, row.marker or {})
            if was_edited:
                drift.append(Drift(row.id, row.model_name, "edited on the proxy since the last push"))
            if was_edited or content_hash(body) != (row.marker or {}).get("sent"):
                removes = set(row.sent["litellm_params"]) - set(body["litellm_params"])
                (replace if removes else update).append(marked(body))
        kept = len(wanted) - len(create) - len(update) - len(replace)
        foreign = len(rows) - len(ours) - kept - len(update) - len(replace)
        return Plan(tuple(create), tuple(update), tuple(replace), tuple(ours.values()), kept, tuple(drift), foreign)

    def apply(self, plan: Plan) -> Applied:
        """Make the writes, one row at a time; on a failure, say what was applied and stop."""
        done = Applied()
        try:
            for row in plan.delete:
                self._delete(row.id, done)
            for body in plan.replace:
                self._delete(body["model_info"]["id"], done)
                self._create(body, done)
            for body in plan.update:
                self.api.update(body["model_info"]["id"], body)
                done.updated.append(body["model_info"]["id"])
            for body in plan.create:
                self._create(body, done)
        except (ProxyError, KeyboardInterrupt):
            log.error("push stopped after %s of %d write(s); run push again to finish", done.summary(), plan.writes)
            raise
        return done

    def _delete(self, model_id: str, done: Applied) -> None:
        try:
            self.api.delete(model_id)
        except Unsure:
            if self.api.row(model_id) is not None:
                raise
        done.deleted.append(model_id)

    def _create(self, body: Body, done: Applied) -> None:
        """Create a row; when the answer was lost, look before trying again: the id is ours."""
        model_id = body["model_info"]["id"]
        try:
            self.api.create(body)
        except Unsure:
            if not self._landed(body):
                raise
        done.created.append(model_id)

    def _landed(self, body: Body) -> bool:
        found = self.api.row(body["model_info"]["id"])
        row = Row.read(found) if found else None
        return row is not None and row.marker is not None and row.marker["sent"] == content_hash(body)


def refuse_taken_ids(rows: list[Row], wanted: list[Body]) -> None:
    """A row we did not make that holds one of our ids is someone's: never overwrite it."""
    theirs = {row.id: row for row in rows if row.marker is None}
    for body in wanted:
        row = theirs.get(deployment_id(body))
        if row is not None:
            kind = "the proxy's config file" if not row.info.get("db_model") else "someone else (no modelsync marker)"
            raise ProxyError(
                f"the proxy's model {row.id} ({row.model_name}) was made by {kind}, "
                f"but push would write {body['model_name']} under that id",
                "delete that model on the proxy, or rename the deployment in overrides.yaml",
            )
