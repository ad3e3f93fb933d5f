"""What a leg asks the engine to return per hit and how it comes back: only what ranking reads,
from doc values (no `_source`: parsing a hundred sources per leg, each with its 384-float
vector, was most of a leg's cost). The request side (query_bodies) and the parsing side
(engine_answers) both read these."""

from __future__ import annotations

ID_FIELD = "id"  # the document id as a keyword with doc values (the indexer sets `_id` to it)
# name ranking reads -> the doc-values field it comes from
PROVIDER_LEG_FIELDS = {
    "primary_specialties": "primary_specialties.keyword",
    "specialties": "specialties.keyword",
    "ages_served": "ages_served",
    "therapy_types": "therapy_types.keyword",
    "bio_quality": "bio_quality",
    # what the practical conditions, the sorts and the relaxed ranking read
    "languages": "languages",
    "insurance": "insurance",
    "gender": "gender",
    "faith": "faith",
    "session_fee_min": "session_fee_min",
    "sliding_scale": "sliding_scale",
    "next_available": "next_available",
    "accepting_new_clients": "accepting_new_clients",
    "remote_only": "remote_only",
    "city": "city.raw",
    "state": "state.raw",
    "location": "location",
}
PASSAGE_LEG_FIELDS = {"topics": "topics"}
SINGLE_VALUED = frozenset(
    {
        "bio_quality",
        "gender",
        "session_fee_min",
        "sliding_scale",
        "next_available",
        "accepting_new_clients",
        "remote_only",
        "city",
        "state",
        "location",
    }
)
DOC_VALUE_FORMATS = {"next_available": "yyyy-MM-dd"}  # a date as the records write it
