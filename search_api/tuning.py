"""Ranking defaults, chosen by measurement on the development sets (README: Relevance;
`python -m relevance sweep` re-ranks saved legs to choose them). Analysts override the
fusion parameters per request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    fusion: str = "linear"
    provider_bm25_weight: float = 0.3
    passage_bm25_weight: float = 0.3
    rank_constant: int = 60
    window: int = 100
    # HNSW candidates per kNN query: the smallest value reaching recall@10 >= 0.95 against exact
    # search (`python -m bench.knn_recall`, 200 bench queries, half filtered). Providers at 20,000:
    # 50 -> 0.896, 100 -> 0.948, 200 -> 0.976, 400 -> 0.991, engine took 1-3 ms for all; recall falls
    # as the index grows (0.992 at 5,000), so re-measure at the size served and raise it to 400 if
    # 200 falls short. (At least the window either way: the API asks for max(window, this).)
    num_candidates: int = 200
    # added to the fused (0..1) score of a provider whose specialties match a specialty the
    # query names through the lay-term table: more when it is one of their first three
    specialty_primary_boost: float = 0.5
    specialty_other_boost: float = 0.1
    # the same from the query's semantic affinity to each specialty (cosine above a floor)
    semantic_floor: float = 0.3
    semantic_primary_weight: float = 0.5
    semantic_other_weight: float = 0.2
    # the ages the query names ("my teen") and the approaches it names ("DBT")
    age_boost: float = 0.3
    therapy_type_boost: float = 0.2
    # placeholder bios ("test test test") sink: such a profile tells a person nothing, and with
    # only its specialties to embed it would otherwise sit first on the vector leg
    quality_penalty: float = 0.8
    # providers whose specialties serve the topics of the guide answers nearest the query
    topic_link_floor: float = 0.35
    guide_topic_primary_weight: float = 2.0
    guide_topic_other_weight: float = 0.0
    # passages sharing the topics of the nearest answers rise
    topic_feedback_depth: int = 10
    topic_feedback_weight: float = 0.2
    # among equally relevant providers, when the query or the filters ask for it: the sooner
    # opening, the lower fee, the nearer office (search_api/practical.py)
    opening_boost: float = 0.15
    fee_boost: float = 0.15
    distance_boost: float = 0.1
    # below this kNN score ((1 + cosine) / 2) for the nearest guide answer, a query that names no
    # need is about something else entirely (search_api/topicality.py)
    topicality_floor: float = 0.70


DEFAULT_TUNING = Tuning()
