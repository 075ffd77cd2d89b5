from __future__ import annotations

import json
import math
import re
from decimal import Decimal

import pytest

from modelsync.core.catalog import Document, PriceError, limit, price
from modelsync.core.errors import CatalogError
from modelsync.sources.normalisers import normalise_openrouter
from tests.helpers import openrouter_entry, real_catalog

OPENROUTER_DATES = {  # entries per file, as catalogs/README.md counts them
    "2025-05-23": 321,
    "2026-03-10": 346,
    "2026-05-22": 356,
    "2026-08-19": 414,
    "2026-08-19-all-modalities": 549,
}


@pytest.mark.parametrize(
    ("raw", "per", "expected"),
    [
        ("0.000001", 1, 1e-06),
        (1.25e-06, 1, 1.25e-06),
        ("0", 1, 0.0),
        (0, 1, 0.0),
        (" 0.0000003 ", 1, 3e-07),
        (2.5500000000000003, 1_000_000, 2.55e-06),
        (7000, 10**10, 7e-07),
        ("1e-7", 1, 1e-07),
        (None, 1, None),
    ],
)
def test_prices_become_usd_per_token(raw: object, per: int, expected: float | None) -> None:
    assert price(raw, per) == expected


@pytest.mark.parametrize(
    ("raw", "refusal"),
    [
        ("-1", "price -1 means a variable price"),
        (-1, "price -1 means a variable price"),
        ("-0.5", "price '-0.5' is negative"),
        ("abc", "price 'abc' is not a number"),
        ("0x10", "price '0x10' is not a number"),
        ("NaN", "price 'NaN' is not finite"),
        ("Infinity", "price 'Infinity' is not finite"),
        ("1e400000", "price '1e400000' is out of range"),
        (True, "price True is not a number"),
        ([], "price [] is not a number"),
        ({}, "price {} is not a number"),
    ],
)
def test_unusable_prices_are_refused_with_a_reason(raw: object, refusal: str) -> None:
    with pytest.raises(PriceError, match=f"^{re.escape(refusal)}$"):
        price(raw)


def test_limits_ignore_zero_and_junk() -> None:
    assert limit(0, None, "abc", True, -5, 32000) == 32000
    assert limit(0) is None
    assert limit(128000.0) == 128000


@pytest.mark.parametrize("date", sorted(OPENROUTER_DATES))
def test_every_real_openrouter_catalog_is_read_whole(date: str) -> None:
    raw = json.loads(real_catalog(f"openrouter/{date}.json").read_text())
    catalog = normalise_openrouter("openrouter", [Document("openrouter", date, raw)])
    offers = catalog.by_id()
    assert len(offers) == OPENROUTER_DATES[date] and not catalog.skipped
    variable = {e["id"] for e in raw["data"] if e["pricing"]["prompt"] == "-1"}
    # Rerank models are listed at $0 per token but sold per search, at a price the list leaves out.
    per_search = {e["id"] for e in raw["data"] if e["architecture"].get("output_modalities") == ["rerank"]}
    assert {o.id for o in catalog.offers if o.price_problem} == variable | per_search
    assert {o.id for o in catalog.offers if o.needs_pin} == {e["id"] for e in raw["data"] if e["id"].startswith("~")}
    for entry in raw["data"]:
        offer = offers[entry["id"]]
        if entry["id"] not in variable:
            # Relative 1e-9: the catalog's own float noise ("0.00000020000000000000002") is no change.
            assert math.isclose(offer.input_cost, float(Decimal(entry["pricing"]["prompt"])), rel_tol=1e-9)
            assert math.isclose(offer.output_cost, float(Decimal(entry["pricing"]["completion"])), rel_tol=1e-9)


def test_media_and_embedding_models_get_their_litellm_mode() -> None:
    raw = json.loads(real_catalog("openrouter/2026-08-19-all-modalities.json").read_text())
    modes = {o.id: o.mode for o in normalise_openrouter("openrouter", [Document("openrouter", "x", raw)]).offers}
    expected = {
        "embeddings": "embedding",
        "rerank": "rerank",
        "image": "image_generation",
        "video": "video_generation",
        "speech": "audio_speech",
        "transcription": "audio_transcription",
    }
    for entry in raw["data"]:
        outputs = entry["architecture"]["output_modalities"]
        want = "chat" if "text" in outputs else expected[outputs[0]]
        assert modes[entry["id"]] == want, entry["id"]


def test_embeddings_list_entries_are_embeddings() -> None:
    doc = Document(
        "openrouter.embeddings", "x", {"data": [openrouter_entry("openai/text-embedding-3-small", "0.00000002", "0")]}
    )
    (offer,) = normalise_openrouter("openrouter", [doc]).offers
    assert offer.mode == "embedding" and offer.input_cost == 2e-08 and offer.output_cost == 0


def test_repeated_ids_collapse_whatever_the_order() -> None:
    a = openrouter_entry("x/model", "0.000001")
    b = openrouter_entry("x/model", "0.000002")
    one = normalise_openrouter("p", [Document("p", "x", {"data": [a, b]})]).offers
    two = normalise_openrouter("p", [Document("p", "x", {"data": [b, a]})]).offers
    assert one == two and len(one) == 1


def test_entries_without_an_id_are_skipped_and_counted() -> None:
    doc = Document("p", "x", {"data": [{"name": "no id"}, "junk", openrouter_entry("ok/model")]})
    catalog = normalise_openrouter("p", [doc])
    assert [o.id for o in catalog.offers] == ["ok/model"]
    assert [s.reason for s in catalog.skipped] == ["entry has no id", "entry has no id"]


def test_garbage_fields_do_not_break_an_entry() -> None:
    entry = {
        "id": "odd/model",
        "pricing": "free!",
        "architecture": [1, 2],
        "top_provider": None,
        "context_length": "big",
    }
    (offer,) = normalise_openrouter("p", [Document("p", "x", {"data": [entry]})]).offers
    assert offer.price_problem and offer.max_input_tokens is None and offer.mode == "chat"


@pytest.mark.parametrize("body", [[], {"models": []}, {"data": {"a": 1}}, "html", None])
def test_a_response_that_is_not_a_catalog_is_an_error_naming_the_source(body: object) -> None:
    with pytest.raises(CatalogError, match=r"openrouter: https://example\.test/models is not a model catalog"):
        normalise_openrouter("openrouter", [Document("openrouter", "https://example.test/models", body)])
