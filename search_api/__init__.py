"""The search API: request handling, query interpretation, query bodies, fusion, responses."""
