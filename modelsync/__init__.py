"""Keep a LiteLLM proxy's config.yaml true to what the providers sell today.

The pipeline, one module per stage:
fetch (fetch.py, cache.py) → normalise (catalog.py) → merge with overrides (overrides.py,
merge.py) → render (render.py) → report (report.py) → write or check (pipeline.py).
"""
