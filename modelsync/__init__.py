"""Keep a LiteLLM proxy's config.yaml true to what the providers sell today.

The pipeline, one module per stage:
fetch and normalise (sources/: refresh.py, fetch.py, store.py, normalisers/) → merge with
overrides (overrides.py, merge.py, placement.py) → render (render.py) → report (report.py) →
write or check (pipeline.py); the commands (commands/) sit on top.
"""

import os
import sys

# We use no pydantic plugins. Without this, defining our first model scans every installed
# package's entry points for plugins: about 50 ms of every run, a third of `--check`.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# httpx imports its command-line client (click, rich, pygments) whenever those happen to be
# installed, as in a LiteLLM or development environment: about 35 ms of every refresh, for a
# command we never run. A None here makes that optional import fail fast, as when they are absent.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

__version__ = "0.1.0"  # pyproject.toml reads it from here
