"""Where the plan lands besides config.yaml: a running proxy's model table (`push`)."""
