#!/usr/bin/env python3
"""Keep a LiteLLM config.yaml true to what the providers sell: `python generate.py --help`."""

from modelsync.cli import ending, main

if __name__ == "__main__":
    raise SystemExit(ending(main()))
