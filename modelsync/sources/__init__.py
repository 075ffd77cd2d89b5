"""Where catalogs come from: providers.yaml, HTTP, paging, refresh, the cache store, normalisers."""
