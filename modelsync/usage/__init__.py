"""What the proxy really served: usage from LiteLLM's database, its CSV export or a committed snapshot."""
