"""What a worried person expects when they type in their own words.

Each case is a query as people type it ("someone to help my teen stop cutting") and, in
words, what that person expects to see first: therapists who treat what they described,
for the age they named, in the place they named; the guide answers about it; the crisis
block when a life may be at risk. Every expectation is its own test, so one broken promise
does not hide the others. The expectations were written from the person's side first and
only then run; where ranking or query understanding falls short the test stays, marked
`xfail(strict=True)` with what came first and why (so it turns red once it is fixed).

The corpus is built once for the module under its own index prefix, with the real model:
the seed guide page (its provider cards included), the project's guide passages and 400
generated providers. The app runs in-process (hybrid mode, the default) and every query is
asked once; the tests then only read the answers.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from core.embedder import Embedder
from core.engines import SyncEngine
from core.settings import PROJECT_ROOT, Settings
from core.taxonomy import fold
from indexer.cli import main as indexer_main
from indexer.demo.providers import generate_providers
from search_api.app import create_app
from tests.conftest import shared_data
from tests.integration.conftest import delete_prefix

SEED_PAGE = "seed/find-therapy-for-self-harm.txt"
GUIDE_PASSAGES = PROJECT_ROOT / "indexer" / "demo" / "guide_passages.jsonl"
PROVIDERS = 400
RECORDS_PER_QUERY = 5  # full records (languages, insurance) fetched for the first providers of each answer

Record = dict[str, Any]


# ------------------------------------------------------------------ one answer, as the tests read it


@dataclass
class Answer:
    query: str
    body: dict[str, Any]
    records: dict[str, Record] = field(default_factory=dict)  # GET /v1/providers/{id}

    @property
    def providers(self) -> list[Record]:
        """Provider hits in rank order; each with its full record underneath (the hit wins)."""
        return [{**self.records.get(hit["id"], {}), **hit} for hit in self.body["providers"]["hits"]]

    @property
    def passages(self) -> list[Record]:
        return list(self.body["passages"]["hits"])

    @property
    def interpreted(self) -> dict[str, Any]:
        return dict(self.body["interpreted"])


def describe_provider(rank: int, p: Record) -> str:
    return (
        f"#{rank} {p['id']} {p['name']} (treats {p.get('specialties')}; ages {p.get('ages_served')}; "
        f"approaches {p.get('therapy_types')}; credentials {p.get('credentials', [])[:2]}; "
        f"{p.get('city')}, {p.get('state')}; remote_only={p.get('remote_only')} "
        f"telehealth={p.get('telehealth')}; languages {p.get('languages')}; insurance {p.get('insurance')}; "
        f"bio shown: {bool(p.get('bio'))})"
    )


def describe_passage(rank: int, p: Record) -> str:
    return f"#{rank} {p['id']} [{p.get('guide')}; {p.get('topics')}] {p.get('title')!r}"


# ------------------------------------------------------------------ what a person looks for in a result

ProviderTest = Callable[[Record], bool]
PassageTest = Callable[[Record], bool]


def _has(values: list[str] | None, *wanted: str) -> bool:
    keys = {fold(v) for v in values or []}
    return any(fold(w) in keys for w in wanted)


def treats(*specialties: str) -> ProviderTest:
    return lambda p: _has(p.get("specialties"), *specialties)


def sees(age_group: str) -> ProviderTest:
    return lambda p: _has(p.get("ages_served"), age_group)


def offers(*therapy_types: str) -> ProviderTest:
    return lambda p: _has(p.get("therapy_types"), *therapy_types)


def speaks(language: str) -> ProviderTest:
    return lambda p: _has(p.get("languages"), language)


def takes(insurance: str) -> ProviderTest:
    return lambda p: _has(p.get("insurance"), insurance)


def in_city(city: str) -> ProviderTest:
    return lambda p: p.get("city") == city


def online(p: Record) -> bool:
    return bool(p.get("telehealth") or p.get("remote_only"))


PRESCRIBERS = ("Psychiatrist", "Psychiatric Nurse Practitioner", "MD", "DO", "PMHNP")


def prescribes(p: Record) -> bool:
    return _has(p.get("credentials"), *PRESCRIBERS)


def has_a_profile(p: Record) -> bool:
    """A bio the page can show (placeholder bios such as "test test test" are not shown)."""
    return bool(p.get("bio"))


def both(*tests: ProviderTest) -> ProviderTest:
    return lambda p: all(t(p) for t in tests)


def from_guide(*guides: str) -> PassageTest:
    return lambda p: p.get("guide") in guides


def about(guides: tuple[str, ...] = (), topics: tuple[str, ...] = ()) -> PassageTest:
    return lambda p: p.get("guide") in guides or bool(set(topics) & set(p.get("topics") or []))


def answer_id(passage_id: str) -> PassageTest:
    return lambda p: p["id"] == passage_id


SELF_HARM_ANSWER = about(guides=("Self Harm",), topics=("self-harm",))
TEEN = "Adolescents (13-17)"
CHILD = "Children (6-12)"


# ------------------------------------------------------------------ expectations


@dataclass(frozen=True)
class Check:
    slug: str
    run: Callable[[Answer], None]
    broken: str | None = None  # why it fails today (xfail, strict)
    # why it needs the engine's analysis-common (the English stemmer...): skipped where the
    # reduced analysis serves (Elastic's minimal distribution: docs/engines.md)
    needs_analysis_common: str | None = None


def top_providers(n: int, says: str, test: ProviderTest, broken: str | None = None) -> Check:
    """Each of the first n providers passes `test` (and there are n of them)."""

    def run(a: Answer) -> None:
        top = a.providers[:n]
        assert len(top) == n, f"{a.query!r}: expected at least {n} providers, got {len(top)}"
        wrong = [describe_provider(i, p) for i, p in enumerate(top, 1) if not test(p)]
        assert not wrong, f"{a.query!r}: {says}; these are not:\n  " + "\n  ".join(wrong)

    return Check(f"providers: {says}", run, broken)


def some_provider(n: int, says: str, test: ProviderTest, broken: str | None = None) -> Check:
    def run(a: Answer) -> None:
        top = a.providers[:n]
        assert any(test(p) for p in top), f"{a.query!r}: {says}; the first {n} were:\n  " + "\n  ".join(
            describe_provider(i, p) for i, p in enumerate(top, 1)
        )

    return Check(f"providers: {says}", run, broken)


def every_provider(says: str, test: ProviderTest, broken: str | None = None) -> Check:
    """Every provider hit on the page passes `test`, and there is at least one."""

    def run(a: Answer) -> None:
        hits = a.providers
        assert hits, f"{a.query!r}: expected providers, got none"
        wrong = [describe_provider(i, p) for i, p in enumerate(hits, 1) if not test(p)]
        assert not wrong, f"{a.query!r}: {says}; these are not:\n  " + "\n  ".join(wrong)

    return Check(f"providers: {says}", run, broken)


def matching_first(says: str, test: ProviderTest, broken: str | None = None) -> Check:
    """Among the hits, every one that passes `test` comes before every one that does not."""

    def run(a: Answer) -> None:
        hits = a.providers
        assert hits and test(hits[0]), f"{a.query!r}: {says}; the first is not:\n  " + (
            describe_provider(1, hits[0]) if hits else "no providers"
        )
        first_miss = next((i for i, p in enumerate(hits) if not test(p)), len(hits))
        late = [describe_provider(i + 1, p) for i, p in enumerate(hits) if i > first_miss and test(p)]
        assert not late, (
            f"{a.query!r}: {says}; these come after {describe_provider(first_miss + 1, hits[first_miss])}"
            ":\n  " + "\n  ".join(late)
        )

    return Check(f"providers: {says}", run, broken)


def top_passages(
    n: int,
    at_least: int,
    says: str,
    test: PassageTest,
    broken: str | None = None,
    needs_analysis_common: str | None = None,
) -> Check:
    def run(a: Answer) -> None:
        top = a.passages[:n]
        good = sum(1 for p in top if test(p))
        assert good >= at_least, f"{a.query!r}: {says} ({good} of the first {n} are):\n  " + "\n  ".join(
            describe_passage(i, p) for i, p in enumerate(top, 1)
        )

    return Check(f"passages: {says}", run, broken, needs_analysis_common)


def understood(key: str, value: Any, broken: str | None = None) -> Check:
    def run(a: Answer) -> None:
        got = a.interpreted.get(key)
        ok = value in got if isinstance(got, list) else got == value
        assert ok, f"{a.query!r}: interpreted.{key} should have {value!r}; got {got!r} ({a.interpreted})"

    return Check(f"understood: {key} {value}", run, broken)


def crisis_block(shown: bool) -> Check:
    def run(a: Answer) -> None:
        crisis = a.body.get("crisis")
        if not shown:
            assert crisis is None, f"{a.query!r}: no crisis block expected, got {crisis}"
            return
        assert crisis and crisis.get("message"), f"{a.query!r}: the crisis block is missing"
        numbers = {r.get("phone") for r in crisis.get("resources", [])}
        assert "988" in numbers, f"{a.query!r}: the crisis block should offer 988, got {crisis}"
        # the block sits above the results, it does not replace them
        assert a.providers, f"{a.query!r}: providers must still be listed below the crisis block"
        assert a.passages, f"{a.query!r}: guide answers must still be listed below the crisis block"

    return Check("crisis block shown" if shown else "no crisis block", run)


def safety_block(situation: str, first_phone: str) -> Check:
    """The block names the situation and leads with its own line; the results stay below it."""

    def run(a: Answer) -> None:
        crisis = a.body.get("crisis")
        assert crisis, f"{a.query!r}: the safety block is missing"
        assert situation in [s["id"] for s in crisis["situations"]], f"{a.query!r}: {crisis['situations']}"
        assert crisis["resources"][0]["phone"] == first_phone, f"{a.query!r}: {crisis['resources']}"
        assert "911" in {r["phone"] for r in crisis["resources"]}
        assert a.providers and a.passages, f"{a.query!r}: results must still be listed below the block"

    return Check(f"safety block: {situation}, {first_phone} first", run)


ABUSE_HELP = treats("Domestic Abuse", "Physical Assault", "Trauma")
SAFETY_ANSWER = about(topics=("domestic-violence", "trauma"))


@dataclass(frozen=True)
class Case:
    slug: str
    query: str
    checks: tuple[Check, ...]
    params: tuple[tuple[str, str], ...] = ()


# ------------------------------------------------------------------ the cases

CASES: tuple[Case, ...] = (
    Case(
        "teen-cutting",
        "someone to help my teen stop cutting",
        (
            top_providers(3, "the first 3 treat Self Harm", treats("Self Harm")),
            top_providers(3, "the first 3 treat Self Harm and see teenagers", both(treats("Self Harm"), sees(TEEN))),
            top_passages(3, 2, "at least 2 of the first 3 are self-harm answers", SELF_HARM_ANSWER),
            understood("specialties", "Self Harm"),
            understood("age_groups", TEEN),
            crisis_block(False),
        ),
    ),
    Case(
        "son-drinking",
        "my son won't stop drinking",
        (
            # no age expectation: "my son" may be 15 or 35
            top_providers(
                3, "the first 3 treat alcohol or substance use", treats("Alcohol Use", "Substance Use", "Addiction")
            ),
            top_passages(
                3,
                2,
                "at least 2 of the first 3 are alcohol or substance-use answers",
                from_guide("Alcohol Use", "Substance Use"),
            ),
            top_passages(
                5,
                1,
                "the answer for helping a family member who drinks is in the first 5",
                answer_id("guide-alcohol-03"),
            ),
            understood("specialties", "Alcohol Use"),
        ),
    ),
    Case(
        "sleep-divorce",
        "can't sleep since my divorce",
        (
            top_providers(3, "the first 3 treat Insomnia or Divorce", treats("Insomnia", "Divorce")),
            top_passages(3, 2, "at least 2 of the first 3 are sleep answers", from_guide("Insomnia and Sleep")),
            top_passages(5, 1, "a divorce answer is in the first 5", from_guide("Divorce and Separation")),
            understood("specialties", "Insomnia"),
            understood("specialties", "Divorce"),
        ),
    ),
    Case(
        "panic-work",
        "panic attacks at work",
        (
            top_providers(3, "the first 3 treat Panic Disorder", treats("Panic Disorder")),
            top_passages(3, 2, "at least 2 of the first 3 are panic-attack answers", from_guide("Panic Attacks")),
            understood("specialties", "Panic Disorder"),
        ),
    ),
    Case(
        "daughter-starving",
        "my daughter is starving herself",
        (
            top_providers(3, "the first 3 treat Eating Disorders", treats("Eating Disorders")),
            top_passages(3, 1, "an eating-disorder answer is in the first 3", from_guide("Eating Disorders")),
            understood("specialties", "Eating Disorders"),
        ),
    ),
    Case(
        "war-flashbacks",
        "flashbacks from the war",
        (
            top_providers(
                3, "the first 3 treat PTSD or Trauma", treats("Posttraumatic Stress Disorder (PTSD)", "Trauma")
            ),
            some_provider(3, "a veterans' specialist is among the first 3", treats("Military / Veterans")),
            top_passages(3, 2, "at least 2 of the first 3 are trauma/PTSD answers", from_guide("Trauma and PTSD")),
            understood("specialties", "Posttraumatic Stress Disorder (PTSD)"),
        ),
    ),
    Case(
        "couples-cheating",
        "couples counseling for cheating",
        (
            top_providers(3, "the first 3 treat Infidelity", treats("Infidelity")),
            top_passages(
                3, 1, "the answer on recovering after infidelity is in the first 3", answer_id("guide-relationships-03")
            ),
            understood("specialties", "Infidelity"),
        ),
    ),
    Case(
        "kid-focus",
        "my kid can't focus in school",
        (
            top_providers(3, "the first 3 treat ADHD and see children", both(treats("ADHD"), sees(CHILD))),
            top_passages(3, 1, "an ADHD answer is in the first 3", from_guide("ADHD")),
            understood("specialties", "ADHD"),
            understood("age_groups", CHILD),
        ),
    ),
    Case(
        "grief-mom",
        "grief after my mom died",
        (
            top_providers(3, "the first 3 treat Grief", treats("Grief")),
            top_passages(3, 2, "at least 2 of the first 3 are grief answers", from_guide("Grief and Loss")),
            understood("specialties", "Grief"),
            crisis_block(False),
        ),
    ),
    Case(
        "online-anxiety",
        "online therapist for anxiety",
        (
            top_providers(5, "the first 5 offer online sessions (telehealth or remote only)", online),
            top_providers(
                5,
                "the first 5 treat anxiety",
                treats("Anxiety", "Social Anxiety", "Panic Disorder", "Performance Anxiety"),
            ),
            top_passages(3, 1, "an anxiety answer is in the first 3", from_guide("Anxiety")),
            understood("remote", True),
            understood("specialties", "Anxiety"),
        ),
    ),
    Case(
        "dbt-santa-clara",
        "DBT therapist in Santa Clara",
        (
            # the only Santa Clara therapists are the seed page's two cards, which list no approaches: a DBT
            # ordering is asserted on San Jose below, where the corpus has DBT therapists and others
            every_provider("every provider is in Santa Clara", in_city("Santa Clara")),
            top_passages(3, 1, "the DBT explainer is in the first 3", answer_id("guide-finding-therapy-07")),
            understood("city", "Santa Clara"),
            understood("therapy_types", "Dialectical Behavior Therapy (DBT)"),
        ),
    ),
    Case(
        "dbt-san-jose",
        "DBT therapist in San Jose",
        (
            every_provider("every provider is in San Jose", in_city("San Jose")),
            matching_first(
                "the San Jose therapists who offer DBT come before those who do not",
                offers("Dialectical Behavior Therapy (DBT)"),
            ),
            understood("city", "San Jose"),
        ),
    ),
    Case(
        "medi-cal-depression",
        "therapist who takes Medi-Cal for depression",
        (
            top_providers(3, "the first 3 treat Depression", treats("Depression")),
            top_providers(
                3,
                "the first 3 treat Depression and take Medi-Cal",
                both(treats("Depression"), takes("Medi-Cal")),
            ),
            understood("specialties", "Depression"),
        ),
    ),
    Case(
        "spanish-depression",
        "spanish speaking therapist for my mom's depression",
        (
            top_providers(
                3,
                "the first 3 speak Spanish and treat Depression",
                both(speaks("Spanish"), treats("Depression")),
            ),
            top_passages(
                3,
                1,
                "the answer on helping a depressed family member is in the first 3",
                answer_id("guide-depression-05"),
                needs_analysis_common="the English stemmer makes 'depression' and the title's 'depressed' one"
                " term; Hunspell's en_US dictionary keeps 'depression' a word of its own",
            ),
            understood("specialties", "Depression"),
        ),
    ),
    Case(
        "teen-self-harming",
        "how do I know if my teenager is self-harming",
        (
            top_passages(
                3,
                1,
                "the answer on spotting self-harm in a teenager is in the first 3",
                answer_id("guide-self-harm-02"),
            ),
            top_passages(3, 3, "the first 3 are self-harm answers", SELF_HARM_ANSWER),
            top_providers(3, "the first 3 treat Self Harm and see teenagers", both(treats("Self Harm"), sees(TEEN))),
        ),
    ),
    Case(
        "what-is-emdr",
        "what is emdr",
        (
            top_passages(1, 1, "the EMDR explainer comes first", answer_id("guide-finding-therapy-08")),
            top_providers(3, "the first 3 offer EMDR", offers("EMDR")),
        ),
    ),
    Case(
        "friend-wants-to-die",
        "my friend says she wants to die",
        (
            crisis_block(True),
            top_providers(3, "the first 3 treat Suicidal Ideation", treats("Suicidal Ideation")),
            top_passages(
                3, 2, "at least 2 of the first 3 are suicidal-thoughts answers", from_guide("Suicidal Thoughts")
            ),
        ),
    ),
    Case(
        "husband-hits",
        "my husband hits me",
        (
            safety_block("partner_violence", "1-800-799-7233"),
            top_providers(3, "the first 3 treat Domestic Abuse", treats("Domestic Abuse")),
            top_passages(
                1, 1, "'How do I know if my relationship is abusive?' comes first", answer_id("guide-relationships-04")
            ),
            understood("specialties", "Domestic Abuse"),
        ),
    ),
    Case(
        "dad-hurts",
        "my dad hurts me",
        (
            safety_block("child_abuse", "1-800-422-4453"),
            top_providers(3, "the first 3 treat domestic abuse, assault or trauma", ABUSE_HELP),
        ),
    ),
    Case(
        "raped",
        "i was raped at a party",
        (
            safety_block("sexual_assault", "1-800-656-4673"),
            top_providers(3, "the first 3 treat assault, abuse or trauma", ABUSE_HELP),
            top_passages(1, 1, "an answer about abuse or trauma comes first", SAFETY_ANSWER),
        ),
    ),
    Case(
        "husband-gym",
        "my husband hits the gym and ignores me",
        (crisis_block(False),),
    ),
    Case(
        "hurting-myself",
        "hurting myself",
        (
            # search_api/safety/self_harm.py: self-harm words alone do not flag; intent or severity does
            top_providers(3, "the first 3 treat Self Harm", treats("Self Harm")),
            top_providers(3, "the first 3 are real profiles (a bio to show, not a placeholder)", has_a_profile),
            top_passages(3, 3, "the first 3 are self-harm answers", SELF_HARM_ANSWER),
            crisis_block(False),
        ),
    ),
    Case(
        "worried",
        "worried all the time",
        (
            top_providers(3, "the first 3 treat Anxiety", treats("Anxiety")),
            top_passages(3, 1, "'Is my worry normal...' is in the first 3", answer_id("guide-anxiety-01")),
            understood("specialties", "Anxiety"),
        ),
    ),
    Case(
        "ocd-stove",
        "ocd checking the stove",
        (
            top_providers(3, "the first 3 treat OCD", treats("Obsessive-Compulsive Disorder (OCD)")),
            some_provider(3, "one of the first 3 offers ERP", offers("Exposure and Response Prevention (ERP)")),
            top_passages(3, 2, "at least 2 of the first 3 are OCD answers", from_guide("OCD")),
            understood("specialties", "Obsessive-Compulsive Disorder (OCD)"),
        ),
    ),
    Case(
        "lonely-moving",
        "lonely and isolated after moving",
        (
            top_providers(3, "the first 3 treat Loneliness", treats("Loneliness")),
            top_passages(3, 2, "at least 2 of the first 3 are loneliness answers", from_guide("Loneliness")),
            understood("specialties", "Loneliness"),
        ),
    ),
    Case(
        "teen-15-depression",
        "therapist for my 15 year old's depression",
        (
            top_providers(3, "the first 3 treat Depression and see teenagers", both(treats("Depression"), sees(TEEN))),
            top_passages(
                3,
                1,
                "'How can I tell normal teenage moodiness from depression?' is in the first 3",
                answer_id("guide-parenting-teens-02"),
            ),
            understood("specialties", "Depression"),
            understood("age_groups", TEEN),
        ),
    ),
    Case(
        "burned-out",
        "burned out at work",
        (
            top_providers(3, "the first 3 treat Work Stress", treats("Work Stress")),
            top_passages(3, 1, "a burnout answer is in the first 3", from_guide("Work Stress and Burnout")),
            understood("specialties", "Work Stress"),
        ),
    ),
    Case(
        "son-came-out",
        "my son just came out as gay",
        (
            top_providers(3, "the first 3 treat LGBTQ+ concerns", treats("LGBTQ+")),
            top_passages(
                3, 1, "the answer on supporting a child who came out is in the first 3", answer_id("guide-lgbtq-03")
            ),
            understood("specialties", "LGBTQ+"),
        ),
    ),
    Case(
        "bipolar-psychiatrist",
        "psychiatrist for bipolar medication",
        (
            top_providers(
                3, "the first 3 treat Bipolar Disorder and can prescribe", both(treats("Bipolar Disorder"), prescribes)
            ),
            top_passages(
                3, 1, "'How is bipolar disorder treated?' is in the first 3", answer_id("guide-bipolar-disorder-02")
            ),
            understood("specialties", "Bipolar Disorder"),
        ),
    ),
    Case(
        "kid-meltdowns",
        "my kid has meltdowns every day",
        (
            top_providers(
                3,
                "the first 3 see children and treat behaviour",
                both(
                    sees(CHILD),
                    treats("Behavioral Issues", "Child or Adolescent", "Parenting", "ADHD", "Anger Management"),
                ),
            ),
            top_passages(
                3,
                2,
                "at least 2 of the first 3 are answers for parents of children",
                about(topics=("children-adolescents",)),
            ),
            understood("age_groups", CHILD),
        ),
    ),
)


def _params() -> list[Any]:
    out = []
    for case in CASES:
        for check in case.checks:
            marks = [pytest.mark.xfail(strict=True, reason=check.broken)] if check.broken else []
            if check.needs_analysis_common:
                marks.append(pytest.mark.needs_module("analysis-common", check.needs_analysis_common))
            out.append(pytest.param(case, check, id=f"{case.slug}: {check.slug}", marks=marks))
    return out


# ------------------------------------------------------------------ the corpus and the answers


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def embedding_cache(request: pytest.FixtureRequest, tmp: Path) -> Path:
    """Vectors are keyed by model and text, so pytest's cache keeps later runs fast and exact."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("search-relevance-embeddings") if cache is not None else tmp
    return Path(folder) / "embedding-cache.sqlite"


@pytest.fixture(scope="module")
def corpus(
    request: pytest.FixtureRequest,
    base_settings: Settings,
    cluster: SyncEngine,
    real_embedder: Embedder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Settings]:
    seed = shared_data(SEED_PAGE)
    tmp = tmp_path_factory.mktemp("relevance")
    providers = tmp / "providers.jsonl"
    providers.write_text("".join(json.dumps(r) + "\n" for r in generate_providers(PROVIDERS)), encoding="utf-8")
    prefix = f"test-relevance-{uuid.uuid4().hex[:10]}"
    try:
        out, err = io.StringIO(), io.StringIO()
        with environment(INDEX_PREFIX=prefix, EMBEDDING_CACHE=str(embedding_cache(request, tmp))):
            code = indexer_main(
                ["rebuild", "--providers", str(providers), "--passages", str(GUIDE_PASSAGES), "--pages", str(seed)],
                out,
                err,
                embedder_factory=lambda: real_embedder,
            )
        assert code == 0, f"the corpus did not build (exit {code}):\n{out.getvalue()}\n{err.getvalue()}"
        yield base_settings.model_copy(update={"index_prefix": prefix, "allow_anonymous": True})
    finally:
        delete_prefix(cluster, prefix)


async def ask_all(settings: Settings, embedder: Embedder) -> dict[str, Answer]:
    app = create_app(settings, embedder=embedder)
    answers: dict[str, Answer] = {}
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://relevance.test") as client,
    ):
        for query in dict.fromkeys(case.query for case in CASES):
            response = await client.get("/v1/search", params={"q": query})
            assert response.status_code == 200, f"{query!r}: {response.status_code} {response.text[:500]}"
            answer = Answer(query, response.json())
            for hit in answer.body["providers"]["hits"][:RECORDS_PER_QUERY]:
                record = await client.get(f"/v1/providers/{hit['id']}")
                assert record.status_code == 200, f"{hit['id']}: {record.status_code} {record.text[:300]}"
                answer.records[hit["id"]] = record.json()
            answers[query] = answer
    return answers


@pytest.fixture(scope="module")
def answers(corpus: Settings, real_embedder: Embedder) -> dict[str, Answer]:
    return asyncio.run(ask_all(corpus, real_embedder))


# ------------------------------------------------------------------ the tests


def test_there_are_twenty_or_more_lay_queries() -> None:
    assert len({case.query for case in CASES}) >= 20
    assert len({case.slug for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("case", "check"), _params())
def test_lay_query(answers: dict[str, Answer], case: Case, check: Check) -> None:
    check.run(answers[case.query])
