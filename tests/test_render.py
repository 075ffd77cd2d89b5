from __future__ import annotations

import math

import pytest
import yaml

from modelsync.model.merge import Deployment
from modelsync.outputs.render import block, render, scalar
from tests.helpers import ROOT

AWKWARD_STRINGS = [
    "plain/model-id:free",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "true",
    "1e-09",
    "0x10",
    "1_000",
    "12:30",
    "2024-10-21",
    "a: b",
    "x #comment",
    "#start",
    "- item",
    "{{ jinja }}",
    "{% if %}",
    "!!python/object/apply:os.system",
    "&anchor",
    "*alias",
    "line\nbreak",
    "quote \" and ' both",
    "tab\there",
    "",
    " padded ",
    "ünïcode ✓",
    "emoji 😀",
    "\u2028separator",
    "nul\x00byte",
    "%percent",
    "@at",
    "`tick",
    "|pipe",
    ">fold",
    "[list]",
    "{map}",
    "?q",
    "x" * 5000,
]


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_any_string_is_one_scalar_that_reads_back_as_itself(text: str) -> None:
    line = f"key: {scalar(text)}\nnext: 1\n"
    assert yaml.safe_load(line) == {"key": text, "next": 1}


@pytest.mark.parametrize("value", [1.0e-09, 3e-07, 1.25e-06, 0.5, 2.0, 1e16, 123456789.125, 0.0])
def test_floats_read_back_as_floats_under_yaml_1_1(value: float) -> None:
    # PyYAML (and so LiteLLM) reads `1e-09` as a string; only a mantissa with a dot is a float.
    loaded = yaml.safe_load(f"v: {scalar(value)}")["v"]
    assert isinstance(loaded, float) and loaded == value


def test_the_free_marker_is_written_as_configs_write_it() -> None:
    assert scalar(1.0e-09) == "1.0e-09"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(value: float) -> None:
    with pytest.raises(ValueError, match=rf"^cannot write the non-finite number {value} into config\.yaml$"):
        scalar(value)


def test_nested_blocks_round_trip() -> None:
    value = {"fallbacks": [{"gpt-4": ["gpt-3.5", "x: y"]}, "plain", [], {}], "n": None, "ok": True, 3: "int key"}
    assert yaml.safe_load(block(value, 0)) == value


def test_catalog_text_cannot_change_the_structure_of_the_file() -> None:
    hostile = 'evil\n  - model_name: injected\n    litellm_params: {model: "x"}'
    deployment = Deployment("p", hostile, {"model": hostile, "api_key": "os.environ/K"}, {"note": hostile})
    config = yaml.safe_load(render(ROOT / "templates", [deployment], {}))
    assert config["model_list"] == [deployment.as_dict()]


def test_an_empty_model_list_is_still_a_list() -> None:
    assert yaml.safe_load(render(ROOT / "templates", [], {}))["model_list"] == []
