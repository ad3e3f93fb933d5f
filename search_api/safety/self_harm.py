"""Risk to one's own life: the words and the readable regular expressions that recognise it.

People search on bad days, in their own words, with typos, in slang, and often about someone
else. The lists lean towards showing the safety block: a false alarm costs a banner above the
results (which are still shown), a miss can cost a life. So any mention of suicide flags,
including "therapist for suicidal ideation"; ordinary directory words do not: "self harm
therapist", "cutting", "grief after my dad died", "killer headache", "dead tired".

The lists were written from general knowledge of warning signs (988 Lifeline, PHQ-9 item 9:
"better off dead or hurting yourself") and online usage, not from the test phrasings. They
read text as `reading.read` gives it: normalised, misspellings repaired.
"""

from __future__ import annotations

# Words that alone signal risk: suicide in any form, overdoses, the internet's euphemisms
# and abbreviations for suicide ("kms" kill myself, "kys" kill yourself, "ctb" catch the bus).
ALARM_WORDS = frozenset(
    {
        "suicide",
        "suicides",
        "suicidal",
        "suicidality",
        "overdose",
        "overdosed",
        "overdosing",
        "od",
        "unalive",
        "unalived",
        "unaliving",
        "sewerslide",
        "kms",
        "kys",
        "ctb",
        "noose",
    }
)
ALARM_PHRASES = (
    "sewer slide",
    "self delete",
    "self deleting",
    "self deletion",
    "commit die",
    "end it all",
    "ending it all",
    "goodbye forever",
    "goodbye cruel world",
)


SELF = r"(?:myself|herself|himself|themselves|themself|yourself|ourselves)"
POSS = r"(?:my|her|his|their|your|our)"
PILLS = r"(?:\w+\s+)?(?:pills|tablets|meds|medication|medicine|painkillers|tylenol|insulin)"

PATTERNS: dict[str, tuple[str, ...]] = {
    "killing or ending oneself": (
        rf"\b(?:kill|kills|killing|killed|off|offing|offed|unalive|end|ending|hang|hanging|"
        rf"hanged|neck|poison|poisoning|suffocate|suffocating|stab|stabbing)\s+{SELF}\b",
        rf"\b(?:shoot|shooting|shot|drown|drowning)\s+{SELF}\b(?!\s+in\b)",  # "in the foot"
        rf"\b(?:end|ends|ending|ended|take|takes|taking|took)\s+{POSS}\s+(?:own\s+)?li(?:fe|ves)\b"
        r"(?!\s+(?:back|in\s+a|into|forward)\b)",  # "take my life back" is recovery talk
    ),
    "wanting to die or not to exist": (
        r"\b(?<!dont\s)(?<!doesnt\s)(?<!didnt\s)(?<!not\s)(?<!never\s)"  # "i dont want to die"
        r"(?:want|wants|wanted|wanting|wish|wishes|wished|ready|plan|plans|planning|deserve|"
        r"deserves|rather|tried|trying|decided)\s+(?:to\s+)?(?:just\s+)?(?:die|be\s+dead|"
        r"not\s+(?:exist|be\s+alive|be\s+here|live|wake\s+up)|stop\s+(?:existing|living)|"
        r"disappear\s+forever|sleep\s+forever|never\s+wake\s+up|rope)\b",
        r"\bwish\s+(?:i|she|he|they|we)\s+(?:was|were|could|would|had|didnt|never)\s+(?:just\s+)?"
        r"(?:be\s+)?(?:dead|die|gone|disappear|not\s+exist|exist|never\s+(?:been\s+)?born|"
        r"been\s+born|wake\s+up)\b",
        r"\bbetter\s+off\s+(?:dead|gone|without\s+(?:me|us)|if\s+i\s+(?:(?:was|were)\s+"
        r"(?:gone|dead)|(?:wasnt|werent)\s+(?:here|around|alive)|died|disappeared))\b",
        # said of oneself, reported by someone else: "he says we'd be better off without him"
        r"\b(?:says?|said|saying|thinks|thought|feels|felt|believes|told\s+\w+)\s+(?:that\s+)?"
        r"(?:we|everyone|everybody|they|people|the\s+family|his\s+family|her\s+family)\s+"
        r"(?:would\s+)?(?:all\s+)?(?:be\s+)?better\s+off\s+without\s+(?:him|her|them)\b",
        r"\b(?:dont|doesnt|didnt|no\s+longer|never|not)\s+(?:really\s+)?want\s+to\s+(?:live|"
        r"be\s+alive|exist|be\s+(?:here|around)\s+anymore|wake\s+up|keep\s+living|"
        r"be\s+on\s+this\s+earth)\b(?!\s+(?:with|in|at|here|there|near|alone|by|on|together|"
        r"apart|far|close|somewhere|anywhere|abroad|next|early|for|so|every|before|to)\b)",
    ),
    "no reason to live, cannot go on": (
        r"\b(?:not|isnt|no\s+longer|never|aint|wasnt)\s+worth\s+living\b",
        r"\b(?:no|nothing|lost\s+(?:the|my|all)|without\s+(?:a|any)|not\s+(?:a|any|one)|zero)\s+"
        r"(?:\w+\s+)?(?:reason|point|will|desire)\s+(?:(?:to|in|of|for)\s+)?(?:live|living|"
        r"go\s+on|going\s+on|keep\s+going|keep\s+living|be\s+alive|being\s+alive|existing)\b",
        r"\bnothing\s+(?:left\s+)?to\s+live\s+for\b",
        r"\bwhats\s+the\s+point\s+(?:of|in)\s+(?:living|being\s+alive|going\s+on|life|existing)\b",
        r"\b(?:tired|sick|done|finished)\s+(?:of|with)\s+(?:living|being\s+alive|existing|life)\b",
        r"\b(?:cant|couldnt)\s+(?:go\s+on|keep\s+going|keep\s+living|carry\s+on)"
        r"(?:\s+(?:anymore|any\s+longer|living|like\s+this|with\s+(?:life|this|my\s+life))|$)",
        r"\bcant\s+(?:do\s+this|take\s+(?:it|this|the\s+pain)|handle\s+(?:it|life))\s+anymore\b",
        r"\b(?:not|wont|will\s+not)\s+be\s+(?:here|around|alive)\s+(?:anymore|much\s+longer|"
        r"for\s+long|tomorrow|next\s+week)\b",
    ),
    "not waking up": (
        r"\b(?:hope|hoping|wish|wishing|pray|praying)\s+(?:that\s+)?(?:i|to|she|he|they)?\s*"
        r"(?:dont|never|wont|would\s+not|wouldnt|not)\s+(?:ever\s+)?wake\s+up\b",
        r"\b(?:go\s+to\s+sleep|fall\s+asleep|sleep)\s+and\s+(?:never|not)\s+wake\s+up\b",
    ),
    "plans and goodbyes": (
        r"\b(?:(?:plan|plans|planning|planned|going|ready|want|wants|decided|about|time)\s+to|"
        r"gonna)\s+end\s+(?:it|everything)\b(?!\s+with\b)",  # not a breakup
        r"\b(?:rope|noose|gun|knife|blade)s?\b(?:\s+\w+){0,4}?\s+a\s+plan\b",  # means and plan
        r"\bgoodbye\s+(?:world|everyone|everybody)\b",
        r"\b(?:goodbye|suicide)\s+(?:note|letter)s?\b",
        r"\bsaying\s+goodbye\s+to\s+(?:everyone|everybody|the\s+world|all\s+of\s+you)\b",
        rf"\bgiv(?:e|es|ing)\s+away\s+(?:all\s+)?(?:of\s+)?{POSS}\s+(?:stuff|things|belongings|"
        r"possessions)\b",
    ),
    "overdose and pills": (
        rf"\b(?:took|take|takes|taken|taking|swallowed|swallow|ate|downed)\s+(?:\w+\s+)?"
        rf"too\s+many\s+{PILLS}\b",  # not "a psychiatrist who prescribes too many meds"
        rf"\b(?:a\s+(?:whole\s+)?bottle|a\s+handful)\s+of\s+{PILLS}\b",
        rf"\b(?:took|swallowed|ate|downed)\s+(?:all|a\s+bunch)\s+(?:of\s+)?(?:{POSS}\s+|the\s+)?"
        rf"{PILLS}\b",
    ),
    "self-harm meant to kill or gone too far": (
        r"\bcut(?:s|ting)?\s+(?:\w+\s+)?(?:too|so|really|very)\s+deep(?:ly)?\b",
        r"\bcut(?:s|ting)?\s+(?:\w+\s+)?deep\s+enough\b",
        r"\bcut(?:s|ting)?\s+(?:\w+\s+)?to\s+die\b",
        rf"\b(?:slit|slitting|slash|slashing|cut|cutting)\s+(?:open\s+)?{POSS}\s+"
        r"(?:wrists?|throat|veins?)\b",
        r"\bbleed(?:ing)?\s+(?:out|to\s+death)\b",
        rf"\b(?:hurt|hurts|hurting|harm|harms|harming|cut|cuts|cutting|injure|injuring)\s+{SELF}"
        r"\s+(?:badly|bad|seriously|really\s+bad|for\s+real|for\s+good|severely)\b",
        r"\b(?:want|wants|wanted|wanting|going|about|plan|plans|planning|urge|urges|thoughts|"
        r"thinking|thought|ready|trying)\s+(?:to|of|about)\s+(?:hurt|hurting|harm|harming|kill|"
        rf"killing|cut|cutting)\s+{SELF}\b",
    ),
}

# Means at hand, right now: these also put 911 first.
IMMEDIATE: dict[str, tuple[str, ...]] = {
    "means at hand": (
        r"\b(?:going\s+to|about\s+to|want\s+to|ready\s+to|will|plan\s+to|planning\s+to|"
        r"trying\s+to|threatening\s+to|threatened\s+to)\s+jump\b(?!\s+(?:start|into|in|back|"
        r"at|on|through|to\s+conclusions|ship|the\s+gun|rope|around|up|over|right|high|for)\b)",
        r"\bjump(?:s|ing|ed)?\s+(?:off|from|in\s+front\s+of)\s+(?:a|the|my|this|that|an)?\s*"
        r"(?:\w+\s+)?(?:bridge|building|roof|rooftop|cliff|balcony|ledge|overpass|train|car|bus|"
        r"truck|tower|garage|window)\b",
        rf"\b(?:gun|pistol|rifle|firearm|weapon|knife)\b(?:\s+\w+){{0,8}}?\s+(?:on|at|against|to)\s+"
        rf"(?:{SELF}|{POSS}\s+(?:head|throat|chest|wrists?))\b",
        r"\bloaded\s+gun\b",
    ),
}
