"""Safety: which situations of risk a query signals (suicide, partner violence, sexual assault,
a child being abused, harm to others, threats), the block of help lines the answer carries
for them, and which help leads the results. Pure functions over the text and `mappings/`."""

from search_api.safety.block import HelpFirst, help_first, safety_block
from search_api.safety.reading import read
from search_api.safety.situations import NOTHING, Recognition, Situation, detect_crisis, recognise

__all__ = [
    "NOTHING",
    "HelpFirst",
    "Recognition",
    "Situation",
    "detect_crisis",
    "help_first",
    "read",
    "recognise",
    "safety_block",
]
