"""What every stage shares: errors, paths, settings, secrets, files, YAML, catalog records, price table."""
