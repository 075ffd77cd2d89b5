"""Hostile catalog content: whatever a catalog says, config.yaml parses to exactly what was merged."""

from __future__ import annotations

import random
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelsync.core.catalog import Document
from modelsync.model.merge import merge
from modelsync.model.overrides import Overrides
from modelsync.outputs.render import render
from modelsync.sources.normalisers import normalise_openrouter
from modelsync.sources.providers import load_providers
from tests.helpers import ROOT

PROVIDERS = load_providers(ROOT / "providers.yaml")
EVERYTHING = Overrides.model_validate({"providers": {"openrouter": {"include": ["*"]}}})
NASTY = [
    "\n",
    "\r\n",
    '"',
    "'",
    ": ",
    " #",
    "#",
    "{{ x }}",
    "{% if %}",
    "!!python/object/apply:os.system",
    "&anchor",
    "*alias",
    "- ",
    "? ",
    "|",
    ">",
    "\t",
    "\x00",
    "\u2028",
    "\ufeff",
    "😀",
    "\ud800",
    "---",
    "...",
]

text = st.one_of(st.text(), st.sampled_from(NASTY), st.lists(st.sampled_from([*NASTY, "a", "1"])).map("".join))
usable_price = st.one_of(
    st.decimals(min_value=0, max_value=1, places=12, allow_nan=False).map(str),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["0", "1e-7", 0]),
)
bad_price = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 10**6),
    st.booleans(),
    st.none(),
    text,
    st.sampled_from(["-1", "NaN", "Infinity", "1e400", "0x10", "-0.000001"]),
)
price = st.one_of(usable_price, usable_price, usable_price, bad_price)  # mostly usable, so models get through
junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=10,
)
pricing = st.fixed_dictionaries(
    {"prompt": price, "completion": price}, optional={"input_cache_read": price, "input_cache_write": price}
)
hostile_entry = st.fixed_dictionaries(
    {"id": text, "pricing": st.one_of(pricing, junk)},
    optional={
        "name": text,
        "description": st.one_of(text, st.just("x" * 100_000)),
        "context_length": junk,
        "architecture": junk,
        "top_provider": junk,
        "supported_parameters": junk,
    },
)
# Well-formed but for its text: hostile ids, names and limits with prices that pass, so models get through.
priced_entry = st.fixed_dictionaries(
    {
        "id": text,
        "name": text,
        "pricing": st.fixed_dictionaries({"prompt": usable_price, "completion": usable_price}),
        "context_length": st.one_of(st.integers(-1, 10**7), junk),
        "description": text,
    },
)
catalogs = st.lists(st.one_of(priced_entry, hostile_entry), min_size=1, max_size=12)


def _render(entries: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    catalog = normalise_openrouter("openrouter", [Document("openrouter", "hypothesis", {"data": entries})])
    deployments = merge(PROVIDERS, EVERYTHING, {"openrouter": catalog}).deployments
    return render(ROOT / "templates", deployments, {}), [d.as_dict() for d in deployments]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs)
def test_the_rendered_file_is_exactly_the_merged_values(entries: list[dict[str, Any]]) -> None:
    rendered, merged = _render(entries)
    assert yaml.safe_load(rendered)["model_list"] == merged


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.randoms(use_true_random=False))
def test_any_catalog_order_gives_the_same_bytes(entries: list[dict[str, Any]], shuffle: random.Random) -> None:
    shuffled = list(entries)
    shuffle.shuffle(shuffled)
    assert _render(entries)[0] == _render(shuffled)[0]
