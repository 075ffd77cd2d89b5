"""The pure middle of the pipeline: overrides.yaml, merge, groups, placement of prices, guards and retirements."""
