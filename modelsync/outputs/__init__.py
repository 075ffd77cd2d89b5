"""What the pipeline produces: the rendered config.yaml, its digest line, and the change report in three forms."""
