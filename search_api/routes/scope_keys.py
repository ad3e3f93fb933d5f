"""What a route leaves in the request's scope for the request-context middleware (search_api/app.py),
which logs and counts the request. In the scope: the request's `state` may be shared between requests."""

MODE_KEY = "caresearch.mode"  # the search mode, a metrics label
# the route's verdict on its query, for the log line: where no route gave one (a refused or
# malformed request), the query is logged as a hash only, like a crisis query
AT_RISK_KEY = "caresearch.at_risk"
# what the caller may do, left by `require` for a route that checks a second scope (a search's
# overrides need `analyst`): the policy's verdict per scope, as a callable
MAY_KEY = "caresearch.may"
