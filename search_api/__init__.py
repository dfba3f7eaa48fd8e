"""search_api: hybrid search over the indexes, the JSON API and the citizens' search page."""
