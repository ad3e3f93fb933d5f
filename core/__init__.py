"""What the indexer and the search API both need: settings, the engine seam, the embedder,
the specialty taxonomy and the lay-term table. Neither of them imports the other."""
