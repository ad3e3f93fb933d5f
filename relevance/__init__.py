"""The analysts' evaluation tool: `python -m relevance`.

Runs a query set through the search API (or the app in-process), scores the results against
graded judgments with trec_eval's measures (via ir_measures), and reports means with bootstrap
intervals and paired significance tests between retrieval modes. See `relevance.cli`.
"""
