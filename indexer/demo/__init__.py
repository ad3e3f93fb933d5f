"""The demo corpus: synthetic provider records and the project's own guide passages.

`providers.generate_providers(n, seed)` streams realistic, deterministic provider records
(docs/contract.md: Input records) for demos and load tests; about 2% carry deliberate data faults of
the kinds real directory exports have, so the normalizer is exercised. `passages` loads
the guide passages written for this project (`guide_passages.jsonl`, shipped as package
data). `python -m indexer.demo --help` writes either set as JSON Lines.

Every provider is fictional: names, addresses and bios are generated, not real people.
"""
