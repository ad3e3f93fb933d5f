"""Deterministic, realistic provider records for demos and load tests.

`generate_providers(n, seed)` streams provider dicts (docs/contract.md: Input records). One `random.Random(seed)` is
consumed record by record (and a second from the same seed, for the fields added in issue 16) and
nothing depends on `n`, so the first k records of a run of n equal a run of k, and memory stays
flat however large n is.

Realism comes from correlations, not just variety: a provider has a practice *profile*
(couples, child, trauma, addiction, ...) that skews their credentials, specialties,
approaches and ages; the counselor licence is named as the state names it (LPCC in
California, LMHC in New York, LPC elsewhere); payers follow the state; the session fee
follows the credential and the metro (trainees' agencies often keep a sliding scale); the
stated gender follows the bio's pronoun; only those accepting new clients have a next
opening; bios are built
from many templates, in first or third person, and name the focus specialties (the first
three) both in lay words and clinical terms.

About 2% of records carry one deliberate fault of a kind real exports have (see
`FAULT_KINDS`). `generate_annotated_providers` yields each record with its fault so tests
can find them; `generate_providers` yields the records alone.

Every provider is fictional. Changing a table or the order of draws changes the corpus
for a given seed; that is fine (nothing stores demo ids), but keep each draw in one place.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, NamedTuple, TypeVar

from core.geo import STATES

# The default day the next openings count from: fixed, so that a seed gives one corpus (the
# day the development data's openings count from, ../shared/data/dev_providers.jsonl).
OPENINGS_FROM = date(2026, 12, 6)
MIN_PROVIDERS = 100
MAX_PROVIDERS = 1_000_000
ID_PREFIX = "demo-p-"
FAULT_RATE = 0.02

# Kinds of deliberate data faults, as real directory exports have them.
PLACEHOLDER_BIO = "placeholder_bio"  # "test test test", "tt", ...
DUPLICATE_SPECIALTY = "duplicate_specialty"  # "Self Harm" and "Self-Harm" in one list
STATE_ABBREVIATION = "state_abbreviation"  # "CA" instead of "California"
UNDEFINED_PLACE = "undefined_place"  # city and state exported as "undefined, undefined"
FAULT_KINDS: tuple[str, ...] = (
    PLACEHOLDER_BIO,
    DUPLICATE_SPECIALTY,
    STATE_ABBREVIATION,
    UNDEFINED_PLACE,
)

T = TypeVar("T")


class DemoProvider(NamedTuple):
    record: dict[str, Any]
    fault: str | None  # one of FAULT_KINDS, or None for a clean record


# ---------------------------------------------------------------------------------------
# Drawing helpers. `one` and `pick` index by `rng.random()` directly: several times
# faster than `rng.choice` / `rng.choices`, which matters at a million records.


class Weighted(NamedTuple):
    """Items with cumulative weights."""

    items: tuple[str, ...]
    cum: tuple[float, ...]
    total: float


def weighted(pairs: Sequence[tuple[str, float]]) -> Weighted:
    cum = tuple(accumulate(p[1] for p in pairs))
    return Weighted(tuple(p[0] for p in pairs), cum, cum[-1])


def one(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def pick(rng: random.Random, table: Weighted) -> str:
    return table.items[bisect(table.cum, rng.random() * table.total)]


def pick_distinct(rng: random.Random, table: Weighted, k: int, taken: Sequence[str] = ()) -> list[str]:
    """k more distinct items, none in `taken`, drawn by weight (rejection sampling: k is
    small next to the table)."""
    chosen = list(taken)
    target = min(len(chosen) + k, len(table.items))
    while len(chosen) < target:
        item = pick(rng, table)
        if item not in chosen:
            chosen.append(item)
    return chosen[len(taken) :]


# ---------------------------------------------------------------------------------------
# Tables are written as compact text (comma- or |-separated) and parsed once at import,
# so they stay readable under the formatter.


def items(text: str, sep: str = ",") -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(sep) if part.strip())


def phrase_table(text: str) -> dict[str, tuple[str, ...]]:
    """Lines `Key: phrase | phrase`; a line starting with `|` continues the one above."""
    table: dict[str, tuple[str, ...]] = {}
    key = ""
    for line in text.strip().splitlines():
        line = line.strip()
        if line.startswith("|"):
            table[key] += items(line, "|")
        else:
            key, _, rest = line.partition(": ")
            table[key] = items(rest, "|")
    return table


# Names. Most providers get first and last name from one group; some mix, as real names do.


class NameGroup(NamedTuple):
    first: tuple[tuple[str, str], ...]  # (first name, pronoun)
    last: tuple[str, ...]
    heritage: tuple[str, ...]  # languages a provider from this group may also speak
    weight: float


def name_group(female: str, male: str, neutral: str, last: str, heritage: str, weight: float) -> NameGroup:
    first = tuple(
        (name, pronoun)
        for names, pronoun in ((female, "she"), (male, "he"), (neutral, "they"))
        for name in items(names)
    )
    return NameGroup(first, items(last), items(heritage), weight)


_NAME_GROUPS: tuple[NameGroup, ...] = (
    name_group(
        "Emily, Sarah, Jessica, Megan, Rachel, Lauren, Katherine, Amanda, Hannah, Olivia, "
        "Abigail, Claire, Heather, Molly",
        "Michael, David, James, Matthew, Daniel, Ryan, Andrew, Christopher, Benjamin, Nathan, Tyler, Garrett",
        "Jordan, Taylor, Casey, Morgan, Alex, Riley, Avery, Quinn, Jamie, Sam",
        "Smith, Johnson, Miller, Anderson, Thompson, Walker, Harris, Clark, Lewis, Young, "
        "Allen, Wright, Hughes, Bennett, Foster, Sullivan, Murphy, O'Brien, Fitzgerald, "
        "Campbell, Reed, Coleman, Hansen, Larson, Schmidt, Becker, McAllister, Whitaker, "
        "Donovan, Gallagher",
        "",
        34,
    ),
    name_group(
        "Aaliyah, Imani, Jasmine, Keisha, Nia, Tiana, Ebony, Monique, Alicia, Danielle",
        "Malik, Darnell, Jamal, Andre, Terrence, DeShawn, Marcus, Isaiah, Cedric",
        "Jordan",
        "Washington, Jackson, Robinson, Jefferson, Banks, Freeman, Mosley, Booker, Gaines, "
        "Simmons, Brooks, Holloway, Williams, Jenkins, Grant",
        "",
        11,
    ),
    name_group(
        "María, Alejandra, Sofía, Valeria, Daniela, Carmen, Lucía, Gabriela, Marisol, Elena",
        "José, Carlos, Luis, Miguel, Javier, Diego, Alejandro, Mateo, Rafael, Andrés",
        "",
        "García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, Ramírez, "
        "Torres, Flores, Rivera, Morales, Castillo, Vargas, Mendoza, Ortiz, Delgado, Guerrero, "
        "Navarro",
        "Spanish",
        15,
    ),
    name_group(
        "Grace, Mei, Jing, Vivian, Ling",
        "Wei, Jun, Kevin, Eric, Hao",
        "Yan",
        "Chen, Wang, Li, Zhang, Liu, Huang, Wu, Lin, Zhao, Chan, Wong, Ho",
        "Mandarin, Cantonese",
        5,
    ),
    name_group(
        "Linh, Thao, Huong",
        "Minh, Tuan, Duc, Bao",
        "Anh",
        "Nguyen, Tran, Le, Pham, Hoang, Vu, Dang, Bui",
        "Vietnamese",
        2.5,
    ),
    name_group(
        "Seo-yeon, Soo-jin, Esther",
        "Min-jun, Hyun, Jae, Daniel",
        "Ji-woo",
        "Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon",
        "Korean",
        2.5,
    ),
    name_group(
        "Priya, Ananya, Neha, Deepa, Kavita",
        "Arjun, Rahul, Vikram, Sanjay, Ravi",
        "Harpreet",
        "Patel, Shah, Sharma, Singh, Gupta, Reddy, Iyer, Kapoor, Desai, Mehta, Rao",
        "Hindi, Gujarati, Punjabi",
        5,
    ),
    name_group(
        "Layla, Yasmin, Nadia, Rania",
        "Omar, Karim, Samir, Tariq",
        "",
        "Haddad, Nasser, Khalil, Saleh, Mansour, Aziz, Khoury",
        "Arabic",
        2,
    ),
    name_group(
        "Shirin, Leila, Mina",
        "Dariush, Arash, Kian",
        "",
        "Farahani, Rahimi, Tehrani, Hosseini, Karimi, Moradi",
        "Farsi",
        2,
    ),
    name_group(
        "Ani, Narine, Lilit",
        "Aram, Armen, Tigran",
        "",
        "Petrosyan, Sarkisian, Hovhannisyan, Grigoryan, Kazarian, Babayan",
        "Armenian",
        1.5,
    ),
    name_group(
        "Maricel, Joy, Rowena, Angelica",
        "Paolo, Ramon, Jericho",
        "",
        "Santos, Reyes, Cruz, Bautista, Dela Cruz, Villanueva, Ramos, Aquino",
        "Tagalog",
        3,
    ),
    name_group(
        "Olga, Natalia, Irina, Katya",
        "Dmitri, Sergei, Pavel",
        "",
        "Ivanova, Petrov, Sokolova, Volkov, Kowalski, Novak, Morozov",
        "Russian, Ukrainian, Polish",
        2.5,
    ),
    name_group(
        "Yuki, Haruka, Aiko, Naomi",
        "Kenji, Takeshi, Hiro",
        "",
        "Tanaka, Sato, Suzuki, Yamamoto, Nakamura, Takahashi, Watanabe",
        "Japanese",
        1.5,
    ),
    name_group(
        "Miriam, Rivka, Noa, Leah",
        "Avi, Eli, Ari, Noam",
        "",
        "Cohen, Levy, Goldberg, Friedman, Katz, Rosen, Shapiro, Weiss",
        "Hebrew",
        3,
    ),
    name_group(
        "Nadège, Fabienne, Mireille",
        "Jean-Pierre, Frantz, Emmanuel",
        "",
        "Jean-Baptiste, Pierre, Toussaint, Charles, Desir, Joseph",
        "Haitian Creole, French",
        1.5,
    ),
    name_group(
        "Adaeze, Ngozi, Folake, Ama",
        "Chinedu, Kwame, Oluwaseun",
        "",
        "Okafor, Adeyemi, Mensah, Okonkwo, Owusu, Balogun, Eze",
        "Yoruba, Igbo",
        2,
    ),
    name_group(
        "Amina, Hodan, Fadumo",
        "Abdi, Mohamed, Yusuf",
        "",
        "Ali, Hassan, Farah, Warsame, Osman, Abdullahi",
        "Somali, Arabic",
        1,
    ),
    name_group(
        "Beatriz, Camila, Fernanda",
        "Thiago, Rafael, Lucas",
        "",
        "Silva, Oliveira, Souza, Costa, Pereira, Almeida",
        "Portuguese",
        1.5,
    ),
)
_GROUPS = weighted([(str(i), g.weight) for i, g in enumerate(_NAME_GROUPS)])
HERITAGE_LANGUAGE_RATE = 0.35
MIXED_NAME_RATE = 0.15
THEY_RATE = 0.04  # some clinicians with gendered-sounding names use they/them

_EXTRA_LANGUAGES = weighted(
    [
        ("Spanish", 40),
        ("American Sign Language (ASL)", 3),
        ("French", 4),
        ("Mandarin", 3),
        ("Portuguese", 2),
        ("German", 2),
        ("Hebrew", 1),
        ("Russian", 2),
        ("Italian", 2),
        ("Tagalog", 2),
        ("Vietnamese", 1),
        ("Korean", 1),
        ("Arabic", 2),
        ("Hindi", 1),
    ]
)
_SPANISH_STATES = frozenset(
    {
        "California",
        "Texas",
        "Florida",
        "Arizona",
        "New Mexico",
        "Nevada",
        "New York",
        "Illinois",
        "Colorado",
    }
)

# ---------------------------------------------------------------------------------------
# Places: (city, state, centre lat, centre lon, real zips, weight ~ metro size).


class City(NamedTuple):
    name: str
    state: str
    lat: float  # city centre
    lon: float
    zips: tuple[str, ...]  # real zips of central neighbourhoods
    weight: float  # roughly metro size: how many providers practise there


def city(name: str, state: str, lat: float, lon: float, zips: str, weight: float) -> City:
    return City(name, state, lat, lon, items(zips, " "), weight)


_CITIES: tuple[City, ...] = (
    city("Los Angeles", "California", 34.0522, -118.2437, "90012 90026 90028 90036 90064", 12),
    city("San Francisco", "California", 37.7749, -122.4194, "94103 94107 94110 94115 94122", 7),
    city("San Diego", "California", 32.7157, -117.1611, "92101 92103 92104 92108 92117", 6),
    city("San Jose", "California", 37.3382, -121.8863, "95110 95112 95125 95126 95128", 5),
    city("Oakland", "California", 37.8044, -122.2712, "94607 94610 94611 94612 94618", 4),
    city("Sacramento", "California", 38.5816, -121.4944, "95814 95816 95818 95819 95825", 4),
    city("Seattle", "Washington", 47.6062, -122.3321, "98101 98103 98105 98115 98122", 6),
    city("Portland", "Oregon", 45.5152, -122.6784, "97201 97205 97209 97214 97232", 4),
    city("Boise", "Idaho", 43.6150, -116.2023, "83702 83704 83706", 1.5),
    city("Salt Lake City", "Utah", 40.7608, -111.8910, "84101 84102 84105 84111", 2),
    city("Denver", "Colorado", 39.7392, -104.9903, "80202 80203 80205 80206 80218", 5),
    city("Phoenix", "Arizona", 33.4484, -112.0740, "85004 85006 85013 85016 85018", 5),
    city("Albuquerque", "New Mexico", 35.0844, -106.6504, "87102 87106 87108 87110", 1.5),
    city("Las Vegas", "Nevada", 36.1699, -115.1398, "89101 89102 89104 89109", 3),
    city("Dallas", "Texas", 32.7767, -96.7970, "75201 75204 75206 75214 75219", 6),
    city("Houston", "Texas", 29.7604, -95.3698, "77002 77004 77006 77019 77098", 7),
    city("Austin", "Texas", 30.2672, -97.7431, "78701 78702 78704 78705 78751", 4),
    city("San Antonio", "Texas", 29.4241, -98.4936, "78205 78209 78212 78215", 3),
    city("Oklahoma City", "Oklahoma", 35.4676, -97.5164, "73102 73103 73106 73118", 1.5),
    city("Kansas City", "Missouri", 39.0997, -94.5786, "64105 64108 64111 64112", 2),
    city("St. Louis", "Missouri", 38.6270, -90.1994, "63101 63104 63108 63110", 2),
    city("Minneapolis", "Minnesota", 44.9778, -93.2650, "55401 55403 55405 55408 55414", 4),
    city("Chicago", "Illinois", 41.8781, -87.6298, "60601 60605 60607 60614 60622 60657", 9),
    city("Milwaukee", "Wisconsin", 43.0389, -87.9065, "53202 53204 53211 53212", 2),
    city("Detroit", "Michigan", 42.3314, -83.0458, "48201 48202 48207 48226", 3),
    city("Columbus", "Ohio", 39.9612, -82.9988, "43201 43205 43206 43215", 2.5),
    city("Cleveland", "Ohio", 41.4993, -81.6944, "44102 44106 44113 44114", 2),
    city("Indianapolis", "Indiana", 39.7684, -86.1581, "46202 46204 46205 46220", 2.5),
    city("Nashville", "Tennessee", 36.1627, -86.7816, "37203 37204 37206 37212", 3),
    city("Louisville", "Kentucky", 38.2527, -85.7585, "40202 40204 40205 40206", 1.5),
    city("Atlanta", "Georgia", 33.7490, -84.3880, "30303 30306 30308 30309 30312", 6),
    city("New Orleans", "Louisiana", 29.9511, -90.0715, "70112 70115 70116 70119 70130", 2),
    city("Miami", "Florida", 25.7617, -80.1918, "33125 33130 33131 33133 33137", 6),
    city("Orlando", "Florida", 28.5383, -81.3792, "32801 32803 32804 32806", 3),
    city("Tampa", "Florida", 27.9506, -82.4572, "33602 33606 33609 33629", 3),
    city("Charlotte", "North Carolina", 35.2271, -80.8431, "28202 28203 28204 28205 28207", 3),
    city("Raleigh", "North Carolina", 35.7796, -78.6382, "27601 27603 27605 27608", 2),
    city("Washington", "District of Columbia", 38.9072, -77.0369, "20001 20002 20003 20009", 5),
    city("Baltimore", "Maryland", 39.2904, -76.6122, "21201 21202 21211 21218 21224", 3),
    city("Philadelphia", "Pennsylvania", 39.9526, -75.1652, "19103 19104 19106 19107 19147", 6),
    city("New York", "New York", 40.7128, -74.0060, "10001 10003 10011 10016 10024 10025", 14),
    city("Boston", "Massachusetts", 42.3601, -71.0589, "02108 02114 02115 02116 02130", 6),
    city("Honolulu", "Hawaii", 21.3069, -157.8583, "96813 96814 96815 96822", 1.5),
    city("Anchorage", "Alaska", 61.2181, -149.9003, "99501 99503 99508", 1),
)
_ABBREVIATIONS = {name: abbr for abbr, name in STATES.items()}
_CITY_TABLE = weighted([(str(i), c.weight) for i, c in enumerate(_CITIES)])
_JITTER_DEG = 0.03  # one sigma, about 3 km north-south: offices spread over the metro
_JITTER_MAX_DEG = 0.1

_STREETS = items(
    "Main St, Oak Ave, Maple St, Park Ave, Washington St, 2nd St, Elm St, Cedar Ln, Lake St, "
    "Hill Rd, Broadway, Pine St, Market St, Church St, Lincoln Ave, Jefferson Blvd, "
    "Highland Ave, Center St, River Rd, Sunset Blvd, Franklin St, College Ave, Grand Ave, "
    "Madison Ave, Spring St, Walnut St, Chestnut St, Willow Way, Union St, Mill Rd, "
    "Professional Pkwy, Medical Center Dr"
)
_SUITE_RATE = 0.45

# ---------------------------------------------------------------------------------------
# Credentials. The counselor licence is named by state, as licensing boards name it.

LCSW = "Licensed Clinical Social Worker (LCSW)"
LMFT = "Licensed Marriage and Family Therapist (LMFT)"
COUNSELOR = "counselor"  # resolved per state: LPCC / LMHC / LPC
PSYD = "Psychologist (PsyD)"
PHD = "Psychologist (PhD)"
PSYCHIATRIST = "Psychiatrist"
PMHNP = "Psychiatric Nurse Practitioner"
ASSOCIATE_MFT = "Associate Marriage and Family Therapist"
ASSOCIATE_SW = "Associate Clinical Social Worker (ASW)"
PRE_LICENSED = "Pre-Licensed Professional"
LPC = "Licensed Professional Counselor (LPC)"
LPCC = "Licensed Professional Clinical Counselor (LPCC)"
LMHC = "Licensed Mental Health Counselor (LMHC)"
_LPCC_STATES = frozenset({"California", "New Mexico", "Ohio", "Minnesota", "Kentucky"})
_LMHC_STATES = frozenset({"New York", "Florida", "Washington", "Massachusetts", "Indiana"})
_PRESCRIBERS = frozenset({PSYCHIATRIST, PMHNP})
_DOCTORS = frozenset({PSYD, PHD, PSYCHIATRIST})
_TRAINEES = frozenset({ASSOCIATE_MFT, ASSOCIATE_SW, PRE_LICENSED})

# ---------------------------------------------------------------------------------------
# Specialties: canonical names (mappings/specialties.json) with a base frequency, so that
# anxiety, depression and trauma are common and schizoaffective disorder is rare.

_BASE_SPECIALTY_WEIGHTS: dict[str, float] = {
    "Anxiety": 10,
    "Depression": 10,
    "Trauma": 7,
    "Posttraumatic Stress Disorder (PTSD)": 4.5,
    "Relationship(s) with Partner/Husband/Wife": 5,
    "Self-Esteem": 5,
    "Grief": 4,
    "Family Conflict": 3.5,
    "Work Stress": 4,
    "Panic Disorder": 3.5,
    "Social Anxiety": 3.5,
    "Parenting": 3,
    "Child or Adolescent": 3,
    "LGBTQ+": 3,
    "Insomnia": 2.5,
    "ADHD": 3,
    "Obsessive-Compulsive Disorder (OCD)": 2.5,
    "Self Harm": 2.2,
    "Suicidal Ideation": 2,
    "Substance Use": 2,
    "Addiction": 1.8,
    "Alcohol Use": 1.8,
    "Anger Management": 1.8,
    "Loneliness": 2.2,
    "Divorce": 2,
    "Marital and Premarital": 1.8,
    "Infidelity": 1.3,
    "Women's Issues": 2.5,
    "Eating Disorders": 1.3,
    "Bipolar Disorder": 1.4,
    "Behavioral Issues": 1.4,
    "Chronic Illness": 1.4,
    "Performance Anxiety": 1.4,
    "Borderline Personality Disorder (BPD)": 1,
    "Domestic Abuse": 1.3,
    "Racial/Cultural Oppression or Trauma": 1.2,
    "Military / Veterans": 1,
    "Spirituality": 1.2,
    "Sex Therapy": 0.7,
    "Physical Assault": 0.6,
    "Dependent Personality": 0.25,
    "Schizoaffective": 0.15,
}
CANONICAL_SPECIALTIES: tuple[str, ...] = tuple(_BASE_SPECIALTY_WEIGHTS)

# Other spellings of one specialty (all listed in mappings/specialties.json): the
# duplicate-specialty fault puts one next to its canonical name.
_VARIANT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Self Harm": ("Self-Harm", "Self-Injury"),
    "Self-Esteem": ("Self Esteem",),
    "LGBTQ+": ("LGBTQ",),
    "Posttraumatic Stress Disorder (PTSD)": ("PTSD",),
    "Obsessive-Compulsive Disorder (OCD)": ("OCD",),
    "Grief": ("Grief and Loss",),
    "Substance Use": ("Substance Abuse",),
    "Panic Disorder": ("Panic Attacks",),
}

CHILDREN = "Children (6-12)"
TEENS = "Adolescents (13-17)"
AGE_GROUPS: tuple[str, ...] = (
    CHILDREN,
    TEENS,
    "Young Adults (18-25)",
    "Adults",
    "Seniors (65+)",
)
_ADULT_AGES = (0.08, 0.3, 0.75, 0.97, 0.35)  # probability of serving each age group
_YOUNG_AGES = (0.8, 0.9, 0.35, 0.25, 0.02)
_COUPLES = ("Relationship(s) with Partner/Husband/Wife", "Marital and Premarital", "Infidelity")
ANCHOR_RATE = 0.85


class Profile(NamedTuple):
    """A kind of practice and what it skews."""

    name: str
    weight: float
    boosts: dict[str, float]  # specialty -> multiplier on its base weight
    anchors: tuple[str, ...]  # the first specialty usually comes from here
    credentials: Weighted  # primary credential
    certifications: tuple[str, ...]
    certification_rate: float
    ages: tuple[float, ...]  # per AGE_GROUPS


_PROFILES: tuple[Profile, ...] = (
    Profile(
        "general",
        40,
        {},
        (),
        weighted(
            [
                (LCSW, 25),
                (COUNSELOR, 30),
                (LMFT, 15),
                (PSYD, 8),
                (PHD, 7),
                (ASSOCIATE_MFT, 5),
                (ASSOCIATE_SW, 4),
                (PRE_LICENSED, 6),
            ]
        ),
        ("National Certified Counselor (NCC)", "Certified Clinical Trauma Professional (CCTP)"),
        0.08,
        _ADULT_AGES,
    ),
    Profile(
        "couples",
        14,
        {
            **dict.fromkeys(_COUPLES, 5.0),
            "Divorce": 3,
            "Sex Therapy": 3,
            "Family Conflict": 2,
            "Parenting": 1.5,
            "Schizoaffective": 0.1,
        },
        _COUPLES,
        weighted([(LMFT, 60), (ASSOCIATE_MFT, 12), (LCSW, 10), (COUNSELOR, 8), (PSYD, 5), (PHD, 5)]),
        ("Certified Gottman Therapist", "Certified Sex Therapist (CST)"),
        0.2,
        (0.03, 0.15, 0.75, 0.97, 0.35),
    ),
    Profile(
        "trauma",
        14,
        {
            "Trauma": 3,
            "Posttraumatic Stress Disorder (PTSD)": 4,
            "Physical Assault": 5,
            "Domestic Abuse": 4,
            "Military / Veterans": 3,
            "Racial/Cultural Oppression or Trauma": 2,
            "Self Harm": 1.5,
        },
        ("Trauma", "Posttraumatic Stress Disorder (PTSD)"),
        weighted([(LCSW, 35), (COUNSELOR, 25), (PSYD, 12), (PHD, 12), (LMFT, 12), (ASSOCIATE_SW, 4)]),
        ("Certified Clinical Trauma Professional (CCTP)",),
        0.25,
        _ADULT_AGES,
    ),
    Profile(
        "child",
        10,
        {
            "Child or Adolescent": 6,
            "Parenting": 4,
            "ADHD": 3,
            "Behavioral Issues": 5,
            "Family Conflict": 2,
            "Self Harm": 1.5,
            "Social Anxiety": 1.5,
            **dict.fromkeys(
                (
                    *_COUPLES,
                    "Alcohol Use",
                    "Divorce",
                    "Sex Therapy",
                    "Work Stress",
                    "Women's Issues",
                    "Military / Veterans",
                    "Chronic Illness",
                ),
                0.15,
            ),
        },
        ("Child or Adolescent", "Parenting", "Behavioral Issues", "ADHD"),
        weighted([(LMFT, 25), (LCSW, 25), (PSYD, 15), (PHD, 15), (COUNSELOR, 10), (ASSOCIATE_MFT, 10)]),
        ("Registered Play Therapist (RPT)", "Board Certified Behavior Analyst (BCBA)"),
        0.3,
        _YOUNG_AGES,
    ),
    Profile(
        "mood",
        8,
        {
            "Self Harm": 4,
            "Borderline Personality Disorder (BPD)": 5,
            "Suicidal Ideation": 3,
            "Depression": 1.5,
            "Eating Disorders": 1.5,
        },
        ("Self Harm", "Borderline Personality Disorder (BPD)", "Suicidal Ideation", "Depression"),
        weighted([(LCSW, 30), (PSYD, 20), (PHD, 20), (COUNSELOR, 20), (LMFT, 10)]),
        ("National Certified Counselor (NCC)",),
        0.05,
        (0.05, 0.55, 0.8, 0.95, 0.2),
    ),
    Profile(
        "addiction",
        6,
        {
            "Substance Use": 8,
            "Addiction": 8,
            "Alcohol Use": 8,
            "Anger Management": 1.5,
            "Child or Adolescent": 0.2,
        },
        ("Substance Use", "Addiction", "Alcohol Use"),
        weighted(
            [
                (LCSW, 30),
                (COUNSELOR, 35),
                (LMFT, 10),
                (PSYD, 5),
                (PRE_LICENSED, 10),
                (PSYCHIATRIST, 5),
                (PMHNP, 5),
            ]
        ),
        ("Certified Addiction Counselor (CAC)",),
        0.6,
        (0.01, 0.2, 0.75, 0.97, 0.3),
    ),
    Profile(
        "psychiatric",
        6,
        {
            "Bipolar Disorder": 5,
            "Schizoaffective": 12,
            "ADHD": 3,
            "Depression": 1.5,
            "Obsessive-Compulsive Disorder (OCD)": 2,
            "Insomnia": 2.5,
            "Borderline Personality Disorder (BPD)": 2,
            "Suicidal Ideation": 1.5,
            **dict.fromkeys((*_COUPLES, "Divorce", "Sex Therapy", "Parenting"), 0.2),
        },
        ("Depression", "Anxiety", "Bipolar Disorder", "ADHD"),
        weighted([(PSYCHIATRIST, 55), (PMHNP, 45)]),
        ("Board Certified in Addiction Medicine",),
        0.05,
        _ADULT_AGES,
    ),
    Profile(
        "eating",
        2,
        {
            "Eating Disorders": 25,
            "Self-Esteem": 2,
            "Obsessive-Compulsive Disorder (OCD)": 1.5,
            "Self Harm": 1.5,
            "Women's Issues": 1.5,
        },
        ("Eating Disorders",),
        weighted([(LMFT, 25), (LCSW, 25), (PSYD, 20), (PHD, 15), (COUNSELOR, 15)]),
        ("Certified Eating Disorder Specialist",),
        0.7,
        (0.05, 0.7, 0.85, 0.95, 0.1),
    ),
)
_PROFILE_INDEX = weighted([(str(i), p.weight) for i, p in enumerate(_PROFILES)])


def specialty_table(profile: Profile) -> Weighted:
    return weighted([(name, w * profile.boosts.get(name, 1.0)) for name, w in _BASE_SPECIALTY_WEIGHTS.items()])


_SPECIALTY_TABLES: dict[str, Weighted] = {p.name: specialty_table(p) for p in _PROFILES}
_SPECIALTY_COUNTS = (3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 7, 7, 8, 8)

# ---------------------------------------------------------------------------------------
# Approaches: a signature approach per focus specialty (the one it calls for), then more
# from a general mix. Names as the directory writes them.

CBT = "Cognitive Behavioral Therapy (CBT)"
DBT = "Dialectical Behavior Therapy (DBT)"
ACT = "Acceptance and Commitment Therapy (ACT)"
ERP = "Exposure and Response Prevention (ERP)"
EFT = "Emotionally Focused Therapy (EFT)"
IFS = "Internal Family Systems (IFS)"
CPT = "Cognitive Processing Therapy (CPT)"
IPT = "Interpersonal Therapy (IPT)"
PE = "Prolonged Exposure (PE)"
TFCBT = "Trauma-Focused CBT"
CBTI = "CBT for Insomnia (CBT-I)"
PCIT = "Parent-Child Interaction Therapy (PCIT)"
MI = "Motivational Interviewing"
MINDFUL = "Mindfulness-Based"
MED = "Medication Management"
_GENERAL_APPROACHES = weighted(
    [
        (CBT, 20),
        ("Psychodynamic", 9),
        (ACT, 9),
        (MINDFUL, 9),
        ("EMDR", 7),
        ("Solution-Focused", 7),
        ("Person-Centered", 7),
        (DBT, 6),
        (MI, 5),
        (IFS, 5),
        ("Somatic Therapy", 4),
        ("Family Systems", 4),
        ("Narrative Therapy", 3),
        (IPT, 3),
        (TFCBT, 3),
        (EFT, 2),
        ("Gottman Method", 2),
        ("Play Therapy", 1.5),
        (ERP, 1.5),
        (CPT, 1),
        (PE, 0.7),
        (CBTI, 0.5),
        (PCIT, 0.5),
    ]
)
_SIGNATURE_APPROACHES: dict[str, tuple[str, ...]] = {
    "Anxiety": (CBT, ACT, MINDFUL),
    "Depression": (CBT, IPT, "Psychodynamic", MINDFUL),
    "Trauma": ("EMDR", "Somatic Therapy", IFS, TFCBT),
    "Posttraumatic Stress Disorder (PTSD)": ("EMDR", CPT, PE),
    "Relationship(s) with Partner/Husband/Wife": ("Gottman Method", EFT),
    "Marital and Premarital": ("Gottman Method", EFT),
    "Infidelity": ("Gottman Method", EFT),
    "Sex Therapy": (EFT, MINDFUL),
    "Divorce": ("Solution-Focused", "Family Systems"),
    "Family Conflict": ("Family Systems", "Solution-Focused"),
    "Parenting": ("Family Systems", PCIT),
    "Child or Adolescent": ("Play Therapy", TFCBT, "Family Systems"),
    "Behavioral Issues": (PCIT, "Play Therapy", CBT),
    "ADHD": (CBT, "Solution-Focused"),
    "Obsessive-Compulsive Disorder (OCD)": (ERP, ACT),
    "Panic Disorder": (CBT, ACT),
    "Social Anxiety": (CBT, ACT),
    "Performance Anxiety": (CBT, MINDFUL),
    "Insomnia": (CBTI,),
    "Self Harm": (DBT,),
    "Borderline Personality Disorder (BPD)": (DBT,),
    "Suicidal Ideation": (DBT, CBT),
    "Substance Use": (MI, CBT),
    "Addiction": (MI, CBT),
    "Alcohol Use": (MI, CBT),
    "Eating Disorders": (CBT, DBT, "Family Systems"),
    "Grief": ("Narrative Therapy", "Person-Centered", ACT),
    "Anger Management": (CBT, DBT),
    "Self-Esteem": (IFS, CBT, "Person-Centered"),
    "Bipolar Disorder": (IPT, CBT),
    "Schizoaffective": (CBT,),
}
SIGNATURE_RATE = 0.8
_APPROACH_COUNTS = (1, 2, 2, 3, 3, 3, 4, 4, 5)

# How a bio names approaches that the directory lists as adjectives.
_APPROACH_IN_PROSE: dict[str, str] = {
    MINDFUL: "mindfulness-based therapy",
    "Solution-Focused": "solution-focused therapy",
    "Psychodynamic": "psychodynamic therapy",
    "Person-Centered": "person-centered therapy",
    "Family Systems": "family systems therapy",
}

# How a bio explains an approach to a client: a noun phrase that names it first.
_APPROACH_GLOSS: dict[str, str] = {
    CBT: "CBT, which looks at how thoughts, feelings and habits feed each other",
    DBT: "DBT, which teaches concrete skills for riding out intense emotions",
    ACT: "ACT, which is about making room for hard feelings while moving toward what matters",
    "EMDR": "EMDR, which helps the brain reprocess painful memories so they lose their charge",
    ERP: "exposure and response prevention, the most effective treatment we have for OCD",
    "Gottman Method": "the Gottman Method, research-based tools for couples caught in one fight",
    EFT: "Emotionally Focused Therapy, which helps partners hear the needs under an argument",
    IFS: "Internal Family Systems, which gets curious about every part of you, critic included",
    CPT: "Cognitive Processing Therapy, a structured and well-studied treatment for PTSD",
    CBTI: "CBT for insomnia, a short program that retrains sleep without relying on pills",
    MI: "Motivational Interviewing, which meets you wherever you are about change",
    "Somatic Therapy": "somatic therapy, which works with what the body holds, not just the mind",
    "Play Therapy": "play therapy, which lets children work things through the way they know best",
    PCIT: "Parent-Child Interaction Therapy, which coaches parents live as they play with a child",
    MINDFUL: "mindfulness-based skills, practical ways to slow down and notice before reacting",
    "Narrative Therapy": "narrative therapy, which helps you retell your story so it can change",
}

# ---------------------------------------------------------------------------------------
# Payers. National plans everywhere; the Blues, Medicaid programmes and Kaiser by state.

_NATIONAL_PAYERS = weighted(
    [
        ("Aetna", 10),
        ("Cigna", 10),
        ("UnitedHealthcare", 10),
        ("Optum", 8),
        ("Medicare", 7),
        ("Humana", 4),
        ("Magellan", 4),
        ("Tricare", 3),
        ("Oscar Health", 2),
        ("Carelon Behavioral Health", 2),
        ("Ambetter", 1.5),
    ]
)
_BLUES: dict[str, tuple[str, ...]] = {
    "California": ("Anthem Blue Cross", "Blue Shield of California"),
    "New York": ("Empire BlueCross BlueShield",),
    "Texas": ("Blue Cross and Blue Shield of Texas",),
    "Illinois": ("Blue Cross and Blue Shield of Illinois",),
    "Massachusetts": ("Blue Cross Blue Shield of Massachusetts",),
    "Florida": ("Florida Blue",),
    "Washington": ("Premera Blue Cross", "Regence BlueShield"),
    "Oregon": ("Regence BlueCross BlueShield of Oregon",),
    "Pennsylvania": ("Independence Blue Cross",),
    "Michigan": ("Blue Cross Blue Shield of Michigan",),
    "Minnesota": ("Blue Cross and Blue Shield of Minnesota",),
    **dict.fromkeys(
        ("Georgia", "Colorado", "Ohio", "Indiana", "Missouri", "Kentucky", "Nevada"),
        ("Anthem Blue Cross Blue Shield",),
    ),
}
_MEDICAID: dict[str, str] = {
    "California": "Medi-Cal",
    "Washington": "Apple Health (Medicaid)",
    "Oregon": "Oregon Health Plan",
    "Massachusetts": "MassHealth",
    "Tennessee": "TennCare",
    "Arizona": "AHCCCS",
    "Hawaii": "Med-QUEST",
    "Colorado": "Health First Colorado (Medicaid)",
}
_KAISER_STATES = frozenset(
    {"California", "Colorado", "Georgia", "Washington", "Oregon", "Maryland", "Hawaii"} | {"District of Columbia"}
)
PRIVATE_PAY_RATE = 0.15  # lists no insurance: self-pay or out-of-network only

# ---------------------------------------------------------------------------------------
# What else people choose by (issue 16): who the provider is, what a session costs, when the
# first opening is.

GENDERS = {"she": "Female", "he": "Male", "they": "Non-binary"}  # as the bio's pronoun has it
GENDER_UNSTATED_RATE = 0.08
# Most who write "they" in a bio here have a neutral first name and state no gender at all.
NON_BINARY_STATED_RATE = 0.4
FAITH_RATE = 0.12  # offers faith-informed care
_FAITHS = weighted(
    [("Christian", 50), ("Jewish", 12), ("Muslim", 9), ("Buddhist", 9), ("Latter-day Saints", 6), ("Hindu", 5)]
)
_LDS_STATES = frozenset({"Utah", "Idaho"})


class FeeBand(NamedTuple):
    low: int  # one individual session, US dollars
    high: int


# What one session costs by the primary credential, before the metro's cost of living.
_FEE_BANDS: dict[str, FeeBand] = {
    PSYCHIATRIST: FeeBand(250, 400),
    PMHNP: FeeBand(150, 250),
    PSYD: FeeBand(150, 250),
    PHD: FeeBand(150, 260),
    ASSOCIATE_MFT: FeeBand(50, 100),
    ASSOCIATE_SW: FeeBand(50, 100),
    PRE_LICENSED: FeeBand(40, 90),
}
_FEE_BAND_LICENSED = FeeBand(100, 180)  # LCSW, LMFT and the counselors
_COSTLY_STATES = frozenset({"California", "New York", "Massachusetts", "District of Columbia", "Washington"})
COSTLY_FACTOR = 1.15
FEE_UNSTATED_RATE = 0.06
FEE_RANGE_RATE = 0.35  # a range: longer sessions, or a lower rate for some clients
SLIDING_SCALE_RATE = 0.2
SLIDING_SCALE_TRAINEE_RATE = 0.55  # trainees' agencies often keep low-fee slots
OPENING_UNSTATED_RATE = 0.08  # accepting, with no date given
OPENING_MEAN_DAYS = 10  # days to the first opening: often within two weeks, a few a month or more out
OPENING_MAX_DAYS = 60

# Filler that real exports carry where a bio should be.
_PLACEHOLDER_BIOS: tuple[str, ...] = (
    "test test test",
    "tt",
    "testtest",
    "test",
    "asdf",
    "TBD",
    "Test bio",
    "xxx",
)

# ---------------------------------------------------------------------------------------
# Bio vocabulary: how clients say it and how clinicians say it, per specialty.

LAY_WORDS = phrase_table("""
ADHD: trouble focusing | losing track of deadlines and keys | feeling scattered and restless
Addiction: habits you can't seem to stop | gambling or gaming that has taken over
    | cravings that run the day
Alcohol Use: drinking too much | a drinking habit that is hard to cut back
    | blackouts and mornings full of regret
Anger Management: blowing up at the people you love | a short fuse
    | anger that scares you afterwards
Anxiety: constant worry | a mind that won't switch off | feeling on edge all the time
Behavioral Issues: meltdowns and defiance | acting out at school | a child who won't listen
Bipolar Disorder: mood swings from very high to very low
    | stretches of barely sleeping and racing thoughts
Borderline Personality Disorder (BPD): intense relationships and a fear of being left
    | emotions that swing hard and fast
Child or Adolescent: a child or teen who is struggling | school refusal
    | big feelings in young children
Chronic Illness: chronic pain | a long-term diagnosis
    | fatigue and medical appointments taking over life
Dependent Personality: trouble making decisions on your own
    | feeling lost without someone to lean on
Depression: feeling down or empty | losing interest in things you used to enjoy
    | days when you can't get out of bed
Divorce: a breakup or divorce | the strain of co-parenting after a separation
Domestic Abuse: a partner who controls, threatens or hurts you
    | the aftermath of an abusive relationship
Eating Disorders: binge eating | restricting food | feeling out of control around food
    | constant worry about weight and body image
Family Conflict: constant fighting at home | tension with parents or siblings
    | family estrangement
Grief: the loss of someone you love | grief that doesn't seem to ease
    | the death of a parent, partner or child
Infidelity: the aftermath of an affair | broken trust after cheating
Insomnia: not being able to sleep | lying awake at 3 a.m. | waking up exhausted
LGBTQ+: the stress of coming out | questions about gender identity
    | family who don't accept who you are
Loneliness: feeling alone even around other people | having no one to talk to
    | isolation after a move or a loss
Marital and Premarital: big questions before getting married | a marriage that feels stuck
Military / Veterans: life after deployment | the move from service back to civilian life
    | the strain on military families
Obsessive-Compulsive Disorder (OCD): intrusive thoughts that won't go away
    | checking, counting or cleaning rituals | needing things to feel just right
Panic Disorder: panic attacks | avoiding places where panic has hit before
    | a racing heart and the sense that something terrible is happening
Parenting: parenting stress | a teenager who won't talk to you | daily power struggles with kids
Performance Anxiety: stage fright | freezing up in exams or interviews | pressure to perform
Physical Assault: being attacked or assaulted | feeling unsafe after violence
Posttraumatic Stress Disorder (PTSD): flashbacks and nightmares | always feeling on guard
    | being stuck after something terrible happened
Racial/Cultural Oppression or Trauma: the weight of racism | discrimination at work or school
    | living between two cultures
Relationship(s) with Partner/Husband/Wife: communication problems with a partner
    | feeling disconnected from your spouse | arguing about the same things again and again
Schizoaffective: hearing or seeing things others don't
    | mood episodes that come with unusual thoughts
Self Harm: cutting | hurting yourself to cope | burning or scratching to get through feelings
Self-Esteem: feeling not good enough | a harsh inner critic | people-pleasing
Sex Therapy: low desire | sexual concerns in a relationship | pain or anxiety around sex
Social Anxiety: dreading social situations | fear of being judged
    | feeling awkward around people
Spirituality: questions of faith | a search for meaning | hurt caused by religion
Substance Use: using drugs to cope | pills or weed getting out of hand
    | a hard time quitting
Suicidal Ideation: thoughts of not wanting to be alive
    | feeling like everyone would be better off without you
Trauma: painful experiences that still shape you | childhood abuse or neglect
    | things that happened that you can't stop thinking about
Women's Issues: pregnancy and the postpartum months | infertility | menopause
    | juggling work and motherhood
Work Stress: burnout | a toxic workplace | stress at work spilling into the rest of life
""")
CLINICAL_WORDS = phrase_table("""
ADHD: ADHD | attention-deficit/hyperactivity disorder | executive-function difficulties
Addiction: addictive behaviors | process addictions | relapse prevention
Alcohol Use: alcohol use disorder | harm reduction around alcohol
Anger Management: anger management | emotional regulation
Anxiety: generalized anxiety disorder | anxiety disorders | anxiety
Behavioral Issues: disruptive behavior | oppositional behavior | behavioral concerns
Bipolar Disorder: bipolar I and II disorder | bipolar disorder | mood stabilization
Borderline Personality Disorder (BPD): borderline personality disorder | emotional dysregulation
Child or Adolescent: child and adolescent therapy | developmental concerns
Chronic Illness: adjustment to chronic illness | chronic pain
Dependent Personality: dependent personality patterns
Depression: major depression | persistent depressive disorder | depression
    | postpartum depression
Divorce: divorce adjustment | separation and co-parenting
Domestic Abuse: intimate partner violence | recovery from domestic violence
Eating Disorders: anorexia | bulimia | binge eating disorder | ARFID | eating disorders
Family Conflict: family conflict | family systems work
Grief: bereavement | prolonged grief | grief and loss
Infidelity: infidelity recovery | betrayal trauma
Insomnia: insomnia | sleep disturbance
LGBTQ+: LGBTQ+-affirming care | gender-affirming therapy | minority stress
Loneliness: social isolation | loneliness
Marital and Premarital: premarital counseling | marital therapy
Military / Veterans: combat-related stress | moral injury | veterans' mental health
Obsessive-Compulsive Disorder (OCD): obsessive-compulsive disorder | OCD
Panic Disorder: panic disorder | agoraphobia
Parenting: parent coaching | the parent-child relationship
Performance Anxiety: performance anxiety | test anxiety
Physical Assault: recovery after assault | trauma from violence
Posttraumatic Stress Disorder (PTSD): PTSD | posttraumatic stress | complex PTSD
Racial/Cultural Oppression or Trauma: racial trauma | race-based stress | acculturation stress
Relationship(s) with Partner/Husband/Wife: couples therapy | relationship issues
Schizoaffective: schizoaffective disorder | psychosis
Self Harm: self-harm | non-suicidal self-injury
Self-Esteem: self-esteem | self-worth
Sex Therapy: sex therapy | sexual health
Social Anxiety: social anxiety disorder | social anxiety
Spirituality: spiritually integrated therapy | religious trauma
Substance Use: substance use disorders | opioid use | recovery support
Suicidal Ideation: suicidal ideation | safety planning
Trauma: trauma | developmental trauma | complex trauma
Women's Issues: perinatal mental health | women's mental health
Work Stress: occupational stress | career transitions | burnout recovery
""")
_AGE_WORDS: dict[str, str] = {
    "Children (6-12)": "children",
    "Adolescents (13-17)": "teens",
    "Young Adults (18-25)": "young adults",
    "Adults": "adults",
    "Seniors (65+)": "older adults",
}


class Person(NamedTuple):
    first: str
    last: str
    pronoun: str  # "she", "he" or "they"
    heritage: tuple[str, ...]


class Place(NamedTuple):
    address: dict[str, str] | None
    location: dict[str, float] | None
    state: str | None


# ---------------------------------------------------------------------------------------
# One record, field by field. Every function draws from the shared rng in a fixed order,
# which is what keeps the stream deterministic.


def provider_id(index: int) -> str:
    """1-based, zero-padded: demo-p-0000001 ... demo-p-1000000."""
    return f"{ID_PREFIX}{index:07d}"


def draw_person(rng: random.Random) -> Person:
    group = _NAME_GROUPS[int(pick(rng, _GROUPS))]
    first, pronoun = one(rng, group.first)
    mixed = rng.random() < MIXED_NAME_RATE
    last = one(rng, _NAME_GROUPS[int(pick(rng, _GROUPS))].last if mixed else group.last)
    if rng.random() < THEY_RATE:
        pronoun = "they"
    return Person(first, last, pronoun, group.heritage)


def counselor_title(state: str | None, rng: random.Random) -> str:
    """The counselor licence as the state's board names it."""
    if state in _LPCC_STATES:
        return LPCC
    if state in _LMHC_STATES:
        return LMHC
    return one(rng, (LPC, LPCC, LMHC)) if state is None else LPC


def jitter(rng: random.Random) -> float:
    return max(-_JITTER_MAX_DEG, min(_JITTER_MAX_DEG, rng.gauss(0.0, _JITTER_DEG)))


def draw_place(rng: random.Random, remote_only: bool) -> Place:
    if remote_only:
        return Place(None, None, None)
    where = _CITIES[int(pick(rng, _CITY_TABLE))]
    street = f"{rng.randrange(100, 9900)} {one(rng, _STREETS)}"
    if rng.random() < _SUITE_RATE:
        street += f", Suite {rng.randrange(100, 640)}"
    # Scale longitude so the spread is round on the ground, not stretched east-west.
    lat = where.lat + jitter(rng)
    lon = where.lon + jitter(rng) / math.cos(math.radians(where.lat))
    address = {
        "street": street,
        "city": where.name,
        "state": where.state,
        "zip": one(rng, where.zips),
    }
    return Place(address, {"lat": round(lat, 5), "lon": round(lon, 5)}, where.state)


def draw_credentials(rng: random.Random, profile: Profile, state: str | None) -> list[str]:
    primary = pick(rng, profile.credentials)
    if primary == COUNSELOR:
        primary = counselor_title(state, rng)
    credentials = [primary]
    if rng.random() < profile.certification_rate:
        credentials.append(one(rng, profile.certifications))
    if primary in (PSYD, PHD) and rng.random() < 0.05:
        credentials.append(LMFT)  # some psychologists keep their earlier licence
    return credentials


def draw_specialties(rng: random.Random, profile: Profile) -> list[str]:
    """3-8 canonical specialties; the first three are the focus, usually led by one of
    the profile's anchors (a child therapist's first specialty is about children)."""
    count = one(rng, _SPECIALTY_COUNTS)
    lead = [one(rng, profile.anchors)] if profile.anchors and rng.random() < ANCHOR_RATE else []
    return lead + pick_distinct(rng, _SPECIALTY_TABLES[profile.name], count - len(lead), lead)


def draw_approaches(rng: random.Random, focus: Sequence[str], prescriber: bool) -> list[str]:
    chosen = [MED] if prescriber else []
    for specialty in focus[:2]:
        signature = _SIGNATURE_APPROACHES.get(specialty)
        if signature and rng.random() < SIGNATURE_RATE:
            approach = one(rng, signature)
            if approach not in chosen:
                chosen.append(approach)
    total = one(rng, _APPROACH_COUNTS)
    if prescriber:
        total = min(total, 3)  # prescribers list few therapy approaches
    return chosen + pick_distinct(rng, _GENERAL_APPROACHES, total - len(chosen), chosen)


def draw_ages(rng: random.Random, profile: Profile, specialties: Sequence[str]) -> list[str]:
    ages = [group for group, p in zip(AGE_GROUPS, profile.ages, strict=True) if rng.random() < p]
    # Someone who lists "Child or Adolescent" sees young people, whatever else they do.
    if "Child or Adolescent" in specialties and not {CHILDREN, TEENS} & set(ages):
        ages.insert(0, TEENS)
    return ages or ["Adults"]


def draw_languages(rng: random.Random, person: Person, state: str | None) -> list[str]:
    languages = ["English"]
    if person.heritage and rng.random() < HERITAGE_LANGUAGE_RATE:
        languages.append(one(rng, person.heritage))
    spanish_odds = 0.12 if state in _SPANISH_STATES else 0.05
    extra = ""
    if rng.random() < spanish_odds:
        extra = "Spanish"
    elif rng.random() < 0.04:
        extra = pick(rng, _EXTRA_LANGUAGES)
    if extra and extra not in languages:
        languages.append(extra)
    # A few bilingual clinicians list their first language first.
    if len(languages) > 1 and rng.random() < 0.1:
        languages[0], languages[1] = languages[1], languages[0]
    return languages


def draw_insurance(rng: random.Random, state: str | None, trainee: bool) -> list[str]:
    # Trainees practise under an agency or group that bills insurance.
    if rng.random() < PRIVATE_PAY_RATE and not trainee:
        return []
    payers = pick_distinct(rng, _NATIONAL_PAYERS, rng.randrange(1, 7))
    if state is not None:
        payers += [blue for blue in _BLUES.get(state, ("Blue Cross Blue Shield",)) if rng.random() < 0.6]
        if rng.random() < 0.35:
            payers.append(_MEDICAID.get(state, "Medicaid"))
        if state in _KAISER_STATES and rng.random() < 0.2:
            payers.append("Kaiser Permanente")
    rng.shuffle(payers)
    return payers


def draw_gender(rng: random.Random, person: Person) -> str | None:
    stated = NON_BINARY_STATED_RATE if person.pronoun == "they" else 1 - GENDER_UNSTATED_RATE
    return GENDERS[person.pronoun] if rng.random() < stated else None


def draw_faith(rng: random.Random, state: str | None) -> list[str]:
    if rng.random() >= FAITH_RATE:
        return []
    if state in _LDS_STATES and rng.random() < 0.5:
        return ["Latter-day Saints"]
    return [pick(rng, _FAITHS)]


def fee_dollars(amount: float) -> int:
    """Fees are quoted in fives."""
    return int(5 * round(amount / 5))


def draw_fees(rng: random.Random, primary: str, state: str | None) -> dict[str, Any]:
    """session_fee_min, session_fee_max and sliding_scale, as a directory listing states them."""
    trainee = primary in _TRAINEES
    sliding = rng.random() < (SLIDING_SCALE_TRAINEE_RATE if trainee else SLIDING_SCALE_RATE)
    if rng.random() < FEE_UNSTATED_RATE:
        return {"session_fee_min": None, "session_fee_max": None, "sliding_scale": sliding}
    band = _FEE_BANDS.get(primary, _FEE_BAND_LICENSED)
    factor = COSTLY_FACTOR if state in _COSTLY_STATES else 1.0
    fee = fee_dollars(rng.uniform(band.low, band.high) * factor)
    low = high = fee
    if sliding:
        low = max(30, fee_dollars(fee * rng.uniform(0.4, 0.75)))  # the lowest rate offered
    elif rng.random() < FEE_RANGE_RATE:
        high = fee + one(rng, (20, 30, 40, 50, 75))
    return {"session_fee_min": low, "session_fee_max": high, "sliding_scale": sliding}


def draw_next_available(rng: random.Random, accepting: bool, today: date) -> str | None:
    """The first open appointment on a weekday after `today`; none when not accepting new clients."""
    if not accepting or rng.random() < OPENING_UNSTATED_RATE:
        return None
    day = today + timedelta(days=1 + min(OPENING_MAX_DAYS, int(rng.expovariate(1 / OPENING_MEAN_DAYS))))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def draw_years(rng: random.Random, primary: str) -> int:
    if primary in _TRAINEES:
        return rng.randrange(0, 4)
    # Most clinicians are mid-career; a long tail practises for decades.
    return min(45, max(1, round(rng.lognormvariate(2.3, 0.6))))


# ---------------------------------------------------------------------------------------
# Bios: a sentence from each of a few template families, filled from one dict of words.
# Families differ by person (first or third) and by what the record has (an office,
# experience, telehealth), so every template reads true of the provider it describes.

_INTRO_1P = (
    "I'm {cred} {where}.",
    "Hi, I'm {first}, {cred} {where}.",
    "Welcome, I'm {name}, {cred} {where}.",
    "My name is {first} and I'm {cred} {where}.",
)
_INTRO_1P_SEASONED = (
    "I'm {cred} with {years} years of experience, {where}.",
    "For the past {years} years I have worked as {cred}, {where}.",
    "I've been in practice for {years} years as {cred}, {where}.",
)
_INTRO_1P_NEW = (
    "I'm a newly licensed clinician {where}, practicing under clinical supervision.",
    "I'm {cred} {where}, early in my career and supervised by an experienced clinician.",
)
_INTRO_3P = ("{name} is {cred} {where}.",)
_INTRO_3P_OFFICE = ("{Where}, {name} is {cred}.",)
_INTRO_3P_SEASONED = (
    "{name} is {cred} who has been in practice for {years} years.",
    "With {years} years of clinical experience, {name} is {cred} {where}.",
)
_INTRO_3P_NEW = ("{name} is {cred} {where}, practicing under the supervision of a licensed clinician.",)

_FOCUS_1P = (
    "I help people dealing with {lays}.",
    "Most people who come to me are struggling with {lay01_or}; I also have specialized training in {clin2}.",
    "My work centers on {clins}: in everyday words, {lays}.",
    "If you are dealing with {lay0}, you are not alone: {clin0} is one of the main things I "
    "treat, along with {clin12}.",
    "Clients often find me when {lay0} or {lay1} starts to feel like too much to handle alone; I also treat {clin2}.",
    "I specialize in {clins}, with a particular interest in helping people with {lay0}.",
    "I care deeply about people facing {lay01}, and I am experienced in treating {clin2}.",
    "The heart of my practice is {clins}, whether that shows up as {lay0} or as {lay1}.",
    "People usually reach out to me about {lays_or}.",
)
_FOCUS_3P = (
    "{first} specializes in {clins}.",
    "{ref} works with people facing {lays_or}.",
    "Areas of focus include {clin01}, as well as {lay2}.",
    "Clients come to {ref} for help with {lays}.",
    "{ref}'s practice centers on {clins}, helping with things like {lay01}.",
    "Much of {poss} work is with people dealing with {lay0}, along with {clin12}.",
    "{first} has a particular interest in {clin0} and also treats {clin12}.",
    "Typical reasons clients reach out to {ref}: {lays}.",
)
_HOOKS = ("Struggling with {lay0}?", "Worn down by {lay0}?", "Are you dealing with {lay0}?")
HOOK_RATE = 0.15

_GLOSSED_1P = ("I often use {gloss}.", "A lot of my work draws on {gloss}.")
_GLOSSED_1P_MORE = (
    "I often use {gloss}, alongside {others}.",
    "We might use {gloss}, as well as {others}.",
)
_GLOSSED_3P = ("{ref} often uses {gloss}.",)
_GLOSSED_3P_MORE = ("{ref} often uses {gloss}, and also draws on {others}.",)
_APPROACH_1P = (
    "I draw on {approaches} and adjust the pace to you.",
    "Sessions blend {approaches} with plain, honest conversation.",
    "My approach is collaborative and grounded in {approaches}.",
    "I'm trained in {approaches}, and I explain why we do what we do.",
)
_APPROACH_3P = (
    "{ref}'s approach draws on {approaches}.",
    "Sessions draw on {approaches}, tailored to each client.",
    "{first} is trained in {approaches}.",
)
_MEDICATION_1P = ("I combine medication management with {approaches}.",)
_MEDICATION_3P = ("{ref} combines medication management with {approaches}.",)
_MEDICATION_ONLY = (
    "Care starts with a careful psychiatric evaluation, and medication is always discussed openly, never pushed.",
)

_AGES_1P = (
    "I work with {ages}.",
    "I see {ages}.",
    "My clients are {ages}, and I welcome people from every background.",
)
_AGES_3P = ("{ref} sees {ages}.", "{first} works with {ages}.", "{Poss} practice welcomes {ages}.")
_CHILDREN_1P = ("I work with {ages}, and with children I make parents part of the process.",)
_CHILDREN_3P = ("{first} works with {ages}, and brings parents into the work with children.",)

_MORE_1P = ("I also see clients for {more}.", "Other areas I work with include {more}.")
_MORE_3P = ("{first} also treats {more}.", "Additional areas of focus: {more}.")

_CLOSING_1P = (
    "Therapy with me is collaborative, practical and free of judgment.",
    "Reaching out is often the hardest step, and I'm glad you're here.",
    "I believe everyone deserves a space where they can be fully honest.",
    "Together we'll find what helps, at a pace that feels manageable.",
    "I'm warm, direct, and not afraid of a little humor when it helps.",
    "I'm currently accepting new clients.",
)
_CLOSING_1P_FULL = (
    "Therapy with me is collaborative, practical and free of judgment.",
    "My caseload is full right now, but you are welcome to join my waitlist.",
)
_CLOSING_3P = (
    "{first} believes healing happens in relationships that feel safe.",
    "Clients describe {ref} as warm, steady and down-to-earth.",
    "{first} aims to give clients practical tools they can use between sessions.",
    "{first} is currently accepting new clients.",
)
_CLOSING_3P_FULL = (
    "{first} believes healing happens in relationships that feel safe.",
    "{first} is not taking new clients at the moment.",
)
_CLOSING_VIDEO_1P = ("I offer video sessions, so therapy can fit around your life.",)
_CLOSING_VIDEO_3P = ("Video sessions are available.",)
_CLOSING_LANGUAGES = ("Sessions are available in {languages}.",)

_WHERE_ONLINE = ("seeing clients online", "working entirely by video", "offering online therapy")
_WHERE_OFFICE = (
    "in {city}, {state}",
    "based in {city}",
    "with an office in {city}",
    "practicing in {city}",
)
_EXTRA_SENTENCES = (0, 1, 1, 2, 2, 2, 3, 3)


def article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class BioWords(dict[str, str]):
    """The words templates use. Lists are joined into phrases ("a, b and c") only when a
    chosen template asks for them: most are never needed, and joining is the costly part."""

    def __init__(self, words: dict[str, str], joins: dict[str, tuple[Sequence[str], str]]):
        super().__init__(words)
        self.joins = joins

    def __missing__(self, key: str) -> str:
        items, conjunction = self.joins[key]
        value = self[key] = join_words(items, conjunction)
        return value


def bio_words(rng: random.Random, person: Person, record: dict[str, Any]) -> BioWords:
    """Every word a template may use. All random draws happen here, in a fixed order."""
    specialties: list[str] = record["specialties"]
    primary: str = record["credentials"][0]
    lay = [one(rng, LAY_WORDS[s]) for s in specialties[:3]]
    clin = [one(rng, CLINICAL_WORDS[s]) for s in specialties[:3]]
    more = [one(rng, CLINICAL_WORDS[s]) for s in specialties[3:6]]
    address = record["address"]
    if address is None:
        where = one(rng, _WHERE_ONLINE)
    else:
        where = one(rng, _WHERE_OFFICE).format(city=address["city"], state=address["state"])
    # Doctors are often referred to by title; everyone else by first name.
    doctor = primary in _DOCTORS and rng.random() < 0.6
    poss = {"she": "her", "he": "his"}.get(person.pronoun, "their")
    approaches = [a for a in record["therapy_types"] if a != MED]
    glossed = next((a for a in approaches if a in _APPROACH_GLOSS), "")
    others = [_APPROACH_IN_PROSE.get(a, a) for a in approaches if a != glossed]
    words = {
        "name": record["name"],
        "first": person.first,
        "ref": f"Dr. {person.last}" if doctor else person.first,
        "poss": poss,
        "Poss": cap(poss),
        "cred": f"{article(primary)} {primary}",
        "where": where,
        "Where": cap(where),
        "years": str(record["years_in_practice"]),
        "lay0": lay[0],
        "lay1": lay[1],
        "lay2": lay[2],
        "clin0": clin[0],
        "clin2": clin[2],
        "gloss": _APPROACH_GLOSS.get(glossed, ""),
    }
    joins: dict[str, tuple[Sequence[str], str]] = {
        "lays": (lay, "and"),
        "lays_or": (lay, "or"),
        "lay01": (lay[:2], "and"),
        "lay01_or": (lay[:2], "or"),
        "clins": (clin, "and"),
        "clin01": (clin[:2], "and"),
        "clin12": (clin[1:], "and"),
        "more": (more, "and"),
        "approaches": ([_APPROACH_IN_PROSE.get(a, a) for a in approaches], "and"),
        "others": (others, "and"),
        "ages": ([_AGE_WORDS[a] for a in record["ages_served"]], "and"),
        "languages": (record["languages"], "and"),
    }
    return BioWords(words, joins)


def intro_templates(first_person: bool, record: dict[str, Any]) -> tuple[str, ...]:
    new = record["years_in_practice"] < 2
    if first_person:
        return _INTRO_1P + (_INTRO_1P_NEW if new else _INTRO_1P_SEASONED)
    office = () if record["remote_only"] else _INTRO_3P_OFFICE
    return _INTRO_3P + office + (_INTRO_3P_NEW if new else _INTRO_3P_SEASONED)


def approach_templates(first_person: bool, words: dict[str, str], record: dict[str, Any]) -> tuple[str, ...]:
    if not words["approaches"]:
        return _MEDICATION_ONLY
    if MED in record["therapy_types"]:
        return _MEDICATION_1P if first_person else _MEDICATION_3P
    if words["gloss"]:
        if words["others"]:
            return _GLOSSED_1P_MORE if first_person else _GLOSSED_3P_MORE
        return _GLOSSED_1P if first_person else _GLOSSED_3P
    return _APPROACH_1P if first_person else _APPROACH_3P


def ages_templates(first_person: bool, record: dict[str, Any]) -> tuple[str, ...]:
    children = CHILDREN in record["ages_served"]
    if first_person:
        return _AGES_1P + (_CHILDREN_1P if children else ())
    return _AGES_3P + (_CHILDREN_3P if children else ())


def closing_templates(first_person: bool, record: dict[str, Any]) -> tuple[str, ...]:
    accepting = record["accepting_new_clients"]
    base: tuple[str, ...]
    video: tuple[str, ...] = ()
    if first_person:
        base = _CLOSING_1P if accepting else _CLOSING_1P_FULL
        if record["telehealth"]:
            video = _CLOSING_VIDEO_1P
    else:
        base = _CLOSING_3P if accepting else _CLOSING_3P_FULL
        if record["telehealth"]:
            video = _CLOSING_VIDEO_3P
    languages = _CLOSING_LANGUAGES if len(record["languages"]) > 1 else ()
    return base + video + languages


def draw_bio(rng: random.Random, person: Person, record: dict[str, Any]) -> str:
    """2-5 sentences: who, what they treat, then some of approach, more specialties, ages
    and a closing line, in that order."""
    words = bio_words(rng, person, record)
    first_person = rng.random() < 0.5
    families = [intro_templates(first_person, record), _FOCUS_1P if first_person else _FOCUS_3P]
    optional = [
        approach_templates(first_person, words, record),
        _MORE_1P if first_person else _MORE_3P,
        ages_templates(first_person, record),
        closing_templates(first_person, record),
    ]
    if not words["more"]:
        del optional[1]
    extra = one(rng, _EXTRA_SENTENCES)
    # Some writers open with the problem, not with themselves.
    if first_person and rng.random() < HOOK_RATE:
        families.insert(0, _HOOKS)
        extra = min(extra, 2)
    keep = sorted(rng.sample(range(len(optional)), extra))
    families += [optional[i] for i in keep]
    return " ".join(one(rng, family).format_map(words) for family in families)


# ---------------------------------------------------------------------------------------
# Faults.


def inject_fault(rng: random.Random, record: dict[str, Any]) -> str:
    """Damage the record in one realistic way; returns the kind of fault."""
    kind = one(rng, FAULT_KINDS)
    if kind == STATE_ABBREVIATION and record["address"] is None:
        kind = UNDEFINED_PLACE  # a remote provider has no state to abbreviate
    if kind == PLACEHOLDER_BIO:
        record["bio"] = one(rng, _PLACEHOLDER_BIOS)
    elif kind == DUPLICATE_SPECIALTY:
        add_variant_spelling(rng, record["specialties"])
    elif kind == STATE_ABBREVIATION:
        record["address"]["state"] = _ABBREVIATIONS[record["address"]["state"]]
    else:
        # As exports show it: "undefined, undefined" where the city and state should be.
        address = record["address"] or {"street": None, "zip": None}
        record["address"] = {**address, "city": "undefined", "state": "undefined"}
    return kind


def add_variant_spelling(rng: random.Random, specialties: list[str]) -> None:
    """ "Self Harm" gains a "Self-Harm" right after it (added first if absent)."""
    present = [s for s in specialties if s in _VARIANT_SPELLINGS]
    canonical = one(rng, present) if present else "Self Harm"
    if canonical not in specialties:
        specialties.insert(min(2, len(specialties)), canonical)
    variant = one(rng, _VARIANT_SPELLINGS[canonical])
    specialties.insert(specialties.index(canonical) + 1, variant)


# ---------------------------------------------------------------------------------------
# The record and the stream.


def draw_provider(
    rng: random.Random, index: int, today: date = OPENINGS_FROM, conditions: random.Random | None = None
) -> DemoProvider:
    """One record. `conditions` draws the fields added for issue 16 (gender, faith, fees, next
    opening), so that every field drawn before them is what the same seed gave before."""
    profile = _PROFILES[int(pick(rng, _PROFILE_INDEX))]
    person = draw_person(rng)
    mode = rng.random()
    remote_only = mode < 0.10
    telehealth = remote_only or mode >= 0.25  # 10% remote, 15% in person only, 75% both
    place = draw_place(rng, remote_only)
    credentials = draw_credentials(rng, profile, place.state)
    specialties = draw_specialties(rng, profile)
    record: dict[str, Any] = {
        "id": provider_id(index),
        "name": f"{person.first} {person.last}",
        "credentials": credentials,
        "address": place.address,
        "location": place.location,
        "remote_only": remote_only,
        "telehealth": telehealth,
        "accepting_new_clients": rng.random() < 0.72,
        "specialties": specialties,
        "therapy_types": draw_approaches(rng, specialties[:3], credentials[0] in _PRESCRIBERS),
        "ages_served": draw_ages(rng, profile, specialties),
        "languages": draw_languages(rng, person, place.state),
        "insurance": draw_insurance(rng, place.state, credentials[0] in _TRAINEES),
        "years_in_practice": draw_years(rng, credentials[0]),
        # the page's own profile view (search_api/routes/pages.py): a card leads somewhere
        "profile_url": f"/providers/{provider_id(index)}",
    }
    record["bio"] = draw_bio(rng, person, record)
    more = conditions or rng
    record["gender"] = draw_gender(more, person)
    record["faith"] = draw_faith(more, place.state)
    record.update(draw_fees(more, credentials[0], place.state))
    record["next_available"] = draw_next_available(more, record["accepting_new_clients"], today)
    fault = inject_fault(rng, record) if rng.random() < FAULT_RATE else None
    return DemoProvider(record, fault)


def check_size(n: int) -> None:
    if not MIN_PROVIDERS <= n <= MAX_PROVIDERS:
        raise ValueError(f"n must be between {MIN_PROVIDERS:,} and {MAX_PROVIDERS:,}, got {n:,}")


def generate_annotated_providers(n: int, seed: int = 7, today: date = OPENINGS_FROM) -> Iterator[DemoProvider]:
    """Each record with the fault deliberately put in it (None for a clean record).
    Raises ValueError at once, not at the first record, when n is out of range."""
    check_size(n)
    return _stream(n, seed, today)


def _stream(n: int, seed: int, today: date) -> Iterator[DemoProvider]:
    rng = random.Random(seed)
    # a stream of their own for the conditions added later: the main stream, and so the
    # corpus that tests and benchmarks were built on, stays as it was
    conditions = random.Random(f"{seed}/conditions")
    for index in range(1, n + 1):
        yield draw_provider(rng, index, today, conditions)


def generate_providers(n: int, seed: int = 7, today: date = OPENINGS_FROM) -> Iterator[dict[str, Any]]:
    """n provider records in the input-record shape (docs/contract.md); the same (n, seed, today) gives the same
    records, and the first k of any run equal a run of k. Streamed: memory does not grow with n. Next openings
    fall in the two months after `today`: a live demo passes its own date, so that "this week" finds someone."""
    return (demo.record for demo in generate_annotated_providers(n, seed, today))
