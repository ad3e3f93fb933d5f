"""Reading sources, validation, normalization, embedding, bulk loading and alias swaps."""
