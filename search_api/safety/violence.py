"""Violence, abuse and threats: the patterns that recognise someone being hurt by another person,
or afraid of hurting someone, in the words people type.

Each table belongs to one situation (`situations.Situation`); a query may match several ("my
stepdad hits me and my mom"). The patterns read text as `reading.read` gives it: lower case,
no apostrophes ("wont", "im"), misspellings of the key words repaired. They lean towards
showing the block, and are kept from the everyday look-alikes that people type in a directory:
"my husband hits the gym", "kids hitting each other at school", "this job is killing me",
"my dad's death hit me hard", "my boyfriend hits me up every night".
"""

from __future__ import annotations

PARTNER = (
    r"(?:husband|hubby|wife|boyfriend|bf|girlfriend|gf|partner|spouse|fiance|fiancee|ex|"
    r"ex\s+(?:husband|wife|boyfriend|girlfriend|partner)|baby\s+daddy|babys\s+father)"
)
CAREGIVER = (
    r"(?:dad|daddy|father|stepdad|stepfather|mom|mommy|mum|mother|stepmom|stepmother|parents?|"
    r"step\s+(?:dad|mom|father|mother)|grandpa|grandfather|grandma|grandmother|uncle|aunt|"
    r"babysitter|nanny|coach|teacher|guardian|caregiver|foster\s+(?:mom|dad|parents?|father|mother)|"
    r"moms\s+boyfriend|mums\s+boyfriend|dads\s+girlfriend)"
)
CHILD = (
    r"(?:child|children|kid|kids|son|daughter|stepson|stepdaughter|niece|nephew|grandson|"
    r"granddaughter|grandchild|grandkid|grandkids|student|baby|toddler|teen|teenager|"
    r"little\s+(?:brother|sister|one)|boy|girl)"
)
# People a threat or a blow can land on ("hits me", "beats my kids"); "hits me up" (a message)
# never gets here: `reading` turns it into "messages me".
VICTIM = rf"(?:me|us|my\s+{CHILD}|our\s+{CHILD}|the\s+kids|my\s+(?:mom|mother|sister|brother))\b"
# Blows and harm, in the tenses people use.
HURTS = (
    r"(?:hits|hit|hitting|beats|beat|beating|punches|punched|punching|slaps|slapped|slapping|"
    r"kicks|kicked|kicking|chokes|choked|choking|strangles|strangled|strangling|hurts|hurt|"
    r"hurting|shoves|shoved|shoving|bites|bit|burns|burned|whips|whipped|smacks|smacked|"
    r"abuses|abused|abusing|throws\s+things\s+at|threw\s+things\s+at|"
    r"push(?:es|ed|ing)?(?=\s+(?:me|us|my\s+\w+)\s+(?:around|down|against|into|off|over)))"
)
# Between a person and the verb: a few words ("my husband sometimes hits me"), but not the
# grief idioms "my dad dying hit me hard", "my mom's death hit me".
GAP = r"(?:\s+(?!death|dying|passing|loss|leaving|divorce|news|words|comment|comments)\w+){0,3}?"
# "it hit me hard", "hit me like a truck", "she beat me at chess", "hit me with homework"
_NOT_IDIOM = (
    r"(?!\s+(?:hard|harder|so\s+hard|like\s+a|to\s+it|out\b|at\s+(?:chess|cards|tennis|golf|pool|poker|"
    r"scrabble|checkers|\w+\s+games?|games?)|in\s+(?:a\s+)?(?:race|game|chess|arguments?)|"
    r"with\s+(?:a\s+lot|so\s+much|homework|questions|the\s+news|a\s+curveball)))"
)

PARTNER_VIOLENCE: tuple[str, ...] = (
    rf"\b(?:my\s+)?{PARTNER}\b{GAP}\s+(?:is\s+|has\s+|keeps\s+|used\s+to\s+)?{HURTS}\s+{VICTIM}{_NOT_IDIOM}",
    rf"\b(?:he|she)\b{GAP}\s+(?:hits|beats|punches|slaps|kicks|chokes|strangles|shoves|abuses|"
    rf"hit|beat|punched|slapped|kicked|choked|strangled|shoved|abused|threatens|threatened)\s+me\b{_NOT_IDIOM}",
    r"\b(?:domestic|family)\s+(?:violence|abuse|abuser)\b",
    r"\bintimate\s+partner\s+(?:violence|abuse)\b",
    rf"\babusive\s+(?:{PARTNER}|relationship|marriage|home|household)\b",
    rf"\b{PARTNER}\s+(?:is|was|has\s+been|gets|became|can\s+be)\s+(?:\w+\s+)?(?:abusive|violent)\b",
    r"(?:\b(?:im|i\s+am|i\s+was|ive\s+been|i\s+have\s+been|i\s+get|i\s+got|i\s+keep\s+getting|"
    r"im\s+getting)\s+|\bbeing\s+)(?:\w+\s+)?(?:abused|beaten|battered)\b"
    r"(?!\s+(?:up|as\s+a|when\s+i\s+was|in\s+my)\b)",  # "abused as a child" is in the past
    r"\bbattered\s+(?:wife|woman|women|spouse|partner)\b",
    rf"\b(?:scared|afraid|terrified|frightened|fear)\s+(?:of|to\s+go\s+home\s+to)\s+(?:my\s+)?{PARTNER}\b"
    # not "afraid of my husband leaving"
    r"(?!\s+(?:leaving|cheating|finding|dying|getting|losing|being|not|breaking|going))",
    rf"\b{PARTNER}\b{GAP}\s+(?:threatens|threatened|is\s+threatening|keeps\s+threatening)\s+(?:me|to)\b",
    rf"\b{PARTNER}\b{GAP}\s+(?:wont|doesnt|didnt|never)\s+let\s+me\s+(?:leave|go|see|have|talk|use|out)\b",
    r"\bcoercive\s+control\b",
    r"\b(?:stalks|stalked|stalking|is\s+stalking)\s+me\b",
    rf"\b(?:abused|beaten(?:\s+up)?|beat\s+up|hit|hurt|choked|strangled|threatened)\s+by\s+(?:my|her|his|their)\s+"
    rf"{PARTNER}\b",
)

SEXUAL_ASSAULT: tuple[str, ...] = (
    r"\b(?:rape|raped|rapes|raping|rapist|rapists)\b",
    r"\bsexual(?:ly)?\s+(?:assault|assaulted|abuse|abused|violence|violated|attacked|exploited)\b",
    r"\bmolest(?:ed|ing|er|ation|s)?\b",
    r"\b(?:groped|roofied|incest)\b",
    r"\b(?:drugged|spiked)\s+(?:me|my\s+drink)\b",
    r"\btouched\s+me\s+(?:inappropriately|without|down\s+there|there|when|while|in\s+my)\b",
    r"\b(?:forced|pressured|made|coerced)\s+me\s+(?:to\s+|into\s+)?(?:have\s+sex|having\s+sex|sex|"
    r"do\s+sexual|perform|sexual)\b",
    r"\bnon\s*consensual\b",
)

CHILD_ABUSE: tuple[str, ...] = (
    r"\bchild\s+(?:abuse|abused|neglect|molestation|sexual\s+abuse|abuser)\b",
    rf"\b(?:my\s+|our\s+)?{CAREGIVER}\b{GAP}\s+(?:is\s+|has\s+|keeps\s+|used\s+to\s+)?{HURTS}\s+{VICTIM}{_NOT_IDIOM}",
    rf"\b{CAREGIVER}\b{GAP}\s+(?:touches|touched|molests|molested|is\s+touching)\s+me\b",
    rf"\b{CAREGIVER}\b{GAP}\s+(?:threatens|threatened|is\s+threatening)\s+(?:me|to)\b",
    rf"\b(?:my|a|our|the|her|his|their)\s+(?:\w+\s+)?{CHILD}\s+(?:is|was|has\s+been|is\s+being|gets|got|"
    r"being)\s+(?:\w+\s+)?(?:abused|molested|beaten|hit|neglected|touched|raped)\b"
    r"(?!\s+(?:up|by\s+a\s+(?:car|truck|bus|ball|bike|bicycle|baseball|pitch)|in\s+the\s+(?:head|face)\s+with\s+a\s+ball)\b)",
    rf"\b(?:abused|beaten|hit|hurt|molested|raped|touched)\s+by\s+(?:my|her|his|their|our)\s+{CAREGIVER}\b",
    rf"\b(?:scared|afraid|terrified|frightened)\s+(?:of|to\s+go\s+home\s+to)\s+(?:my\s+)?{CAREGIVER}\b",
    r"\b(?:call|called|calling|report|reported|reporting)\s+(?:cps|child\s+protective\s+services)\b",
)

_PEOPLE = (
    r"(?:someone|somebody|people|others|him|her|them|everyone|everybody|my\s+(?:husband|wife|"
    r"boyfriend|girlfriend|partner|baby|babies|kids?|child|children|son|daughter|mom|mother|dad|"
    r"father|parents|brother|sister|boss|coworker|coworkers|roommate|family|neighbor|teacher|ex|"
    r"friend|friends|classmates?|newborn))"
)
HARM_TO_OTHERS: tuple[str, ...] = (
    r"\b(?:want|wants|wanted|wanting|going|about|plan|plans|planning|ready|trying|tempted|urge|"
    r"urges|thoughts|thinking|thought|afraid|scared|worried|fear|feel\s+like)\s+(?:(?:to|of|about|"
    r"that\s+i\s+(?:will|might|could|would)|i\s+(?:will|might|could|would))\s+)?(?:kill|killing|hurt|"
    rf"hurting|harm|harming|shoot|shooting|stab|stabbing|strangle|strangling|poison|poisoning)\s+{_PEOPLE}\b"
    r"(?!\s+feelings\b)",
    r"\bhomicidal\b",
    r"\b(?:shoot|shooting)\s+up\s+(?:the|my|a|our)\s+(?:school|office|work|workplace|church|mall|class)\b",
)

# Someone threatening a life, whoever it is (the actor decides which line helps: a partner's
# threats are partner violence, a parent's are child abuse). Always a matter for 911.
THREATS: tuple[str, ...] = (
    r"\bthreat\w*\s+to\s+kill\b",
    r"\bdeath\s+threats?\b",
    r"\b(?:he|she|they|husband|wife|boyfriend|girlfriend|partner|ex|fiance|fiancee|dad|"
    r"father|stepdad|stepfather|mom|mother|stepmom|stepmother|brother|sister|son|someone|"
    r"somebody|neighbor|roommate|abuser)\b(?:\s+\w+){0,4}?\s+(?:going\s+to|will|wants\s+to|"
    r"want\s+to|tried\s+to|trying\s+to|try\s+to|would|could|might|said\s+\w+\s+(?:would|will)|"
    r"says\s+\w+\s+(?:will|would))\s+kill\s+(?:me|us|my\s+\w+|our\s+\w+|the\s+kids|her|him)\b",
    r"\b(?:scared|afraid|fear|fearing|fearful|terrified|worried|frightened)\s+for\s+"
    r"(?:my|her|his|our|their)\s+(?:life|lives|safety)\b",
    r"\b(?:my|her|his|our|their)\s+li(?:fe|ves)\s+(?:is|are)\s+in\s+danger\b",
    r"\b(?:im|i\s+am|we\s+are|she\s+is|he\s+is|shes|hes)\s+in\s+(?:immediate\s+)?danger\b"
    r"(?!\s+of\b)",  # not "in danger of relapsing"
    r"\b(?:choked|choking|strangled|strangling|strangles|chokes)\s+(?:me|her|him)\b",
)

# Said beside any of the above, these mean the danger is now: 911 comes first.
DANGER_NOW: tuple[str, ...] = (
    r"\b(?:right\s+now|tonight|at\s+this\s+moment)\b",
    r"\b(?:outside|at)\s+(?:my|the)\s+(?:door|house|home|window|apartment)\b",
    r"\b(?:has|have|got|with|holding)\s+a\s+(?:gun|knife|weapon)\b",
    r"\b(?:locked|trapped)\s+(?:me\s+)?in\b",
)
