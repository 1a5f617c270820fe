"""The search interface. Every test runs on SQLite and on PostgreSQL and expects the same answer:
that is the contract core.search keeps (TOWNSQUARE_TEST_DATABASE_URL picks the engine)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.core import search
from townsquare.core.models import SearchDocument
from townsquare.core.search import (
    Document,
    Term,
    highlighted_html,
    markdown_text,
    query_terms,
    search_count,
    search_hits,
    search_ids,
    search_index,
    search_index_many,
    search_rebuild,
    search_remove,
)

pytestmark = pytest.mark.django_db

KIND = "note"
DATABASE_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def index(
    object_id: int, title: str, body: str = "", keywords: str = "", *, kind: str = KIND
) -> None:
    search_index(kind, object_id, title=title, body=body, keywords=keywords)


def filler(first_id: int = 1000, count: int = 6) -> None:
    """Unrelated documents, so that ranking works with a realistic share of matching ones."""
    for offset in range(count):
        index(first_id + offset, f"Quarterly budget {offset}", "Spreadsheets and invoices.")


# --- Query words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nurse", [Term("nurse", True)]),
        ("nurse ", [Term("nurse", False)]),
        ("wound care nur", [Term("wound", False), Term("care", False), Term("nur", True)]),
        ("care of the patient", [Term("care", False), Term("patient", True)]),
        ("the who", [Term("the", False), Term("who", True)]),
        ("nurse the", [Term("nurse", False), Term("the", True)]),
        ('"nurse" OR title:x*', [Term("nurse", False), Term("title", False), Term("x", True)]),
        ("nurse* ", [Term("nurse", False)]),
        ("COVID-19", [Term("COVID", False), Term("19", True)]),
        ("snake_case", [Term("snake", False), Term("case", True)]),
        ("José", [Term("José", True)]),
        ("nurse nurse Nurse", [Term("nurse", False), Term("Nurse", True)]),
        ("", []),
        ('  !!! *** () "" ', []),
    ],
)
def test_query_terms(query, expected):
    assert query_terms(query) == expected


def test_long_words_become_prefixes_and_long_queries_are_cut():
    terms = query_terms("x" * 200 + " " + " ".join(f"word{n}" for n in range(30)))
    assert terms[0] == Term("x" * search.MAX_WORD_LENGTH, True)
    assert len(terms) == search.MAX_QUERY_WORDS


@given(st.text(max_size=300))
def test_query_terms_are_plain_words(query):
    terms = query_terms(query)
    assert len(terms) <= search.MAX_QUERY_WORDS
    for term in terms:
        assert re.fullmatch(r"[^\W_]+", term.text)
        assert len(term.text) <= search.MAX_WORD_LENGTH
    prefixes = [term for term in terms if term.is_prefix]
    assert prefixes in ([], terms[-1:]) or any(
        len(term.text) == search.MAX_WORD_LENGTH for term in terms
    )


# --- Matching ------------------------------------------------------------------------------------


def test_the_last_word_matches_as_a_prefix_while_typed():
    index(1, "Nurse educator")
    index(2, "Nutrition advisor")
    assert search_ids(KIND, "nur") == [1]
    assert search_ids(KIND, "Nu") == [1, 2]
    assert search_ids(KIND, "nur ") == []  # the word is finished: "nur" is not a word here
    assert search_ids(KIND, "nur educator") == []  # only the last word is a prefix
    assert search_ids(KIND, "educator nur") == [1]


def test_a_submitted_search_matches_whole_words_unless_a_word_ends_in_a_star():
    index(1, "Nurse educator", "Nursing policies")
    index(2, "Nutrition advisor")
    assert query_terms("nur", whole_words=True) == [Term("nur", False)]
    assert query_terms("nur*", whole_words=True) == [Term("nur", True)]
    assert search_ids(KIND, "nur", whole_words=True) == []
    assert search_ids(KIND, "nur*", whole_words=True) == [1]
    assert search_ids(KIND, "nurses", whole_words=True) == [1]  # stemmed: nurse, nursing
    assert search_count(KIND, "educator nur", whole_words=True) == 0
    assert search_count(KIND, "educator nur*", whole_words=True) == 1
    [hit] = search_hits(KIND, "policy", whole_words=True)
    assert "<mark>policies</mark>" in hit.snippet_html


def test_every_word_must_match():
    index(1, "Nurse", "Works with the pharmacist on the ward.")
    index(2, "Nurse", "Works on the ward.")
    index(3, "Pharmacist")
    assert search_ids(KIND, "nurse pharmacist") == [1]
    assert sorted(search_ids(KIND, "pharmacist")) == [1, 3]


@pytest.mark.parametrize("query", ["jose nunez", "JOSÉ NÚÑEZ", "José", "Nunez", "núñ"])
def test_case_and_accents_do_not_matter(query):
    index(1, "José Núñez")
    index(2, "Joan Martin")
    assert search_ids(KIND, query) == [1]


def test_an_accented_query_finds_plain_text():
    index(1, "Jose Nunez")
    assert search_ids(KIND, "josé núñez") == [1]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Nursing home", "nurses"),
        ("The nurses' station", "nursing"),
        ("Vaccinations for children", "vaccination "),
        ("Online communities", "community "),
        ("Running a webinar", "runs "),
        ("Care policies", "policy "),
    ],
)
def test_english_words_are_stemmed(text, query):
    index(1, text)
    index(2, "Something else entirely")
    assert search_ids(KIND, query) == [1]


def test_common_words_are_left_out_of_longer_queries():
    index(1, "Patient care")
    index(2, "The Who")
    assert search_ids(KIND, "care of the patient") == [1]
    assert search_ids(KIND, "the who") == [2]  # a query of common words only still searches


@pytest.mark.parametrize(
    "query",
    [
        "covid 19",
        "COVID-19",
        "covid19 ",
        "nora",
        "example.org",
        "nora@example.org",
        "3.5",
        "v2.1",
        "twitter",
        "x-ray",
    ],
)
def test_punctuation_splits_words_the_same_way_on_both_engines(query):
    index(
        1,
        "COVID-19 guide v2.1",
        "Dose 3.5 mg; X-ray first. Mail nora@example.org or see https://twitter.com/nora.",
    )
    index(2, "Unrelated")
    if query == "covid19 ":
        assert search_ids(KIND, query) == []  # "covid19" is one word; the text has two
    else:
        assert search_ids(KIND, query) == [1]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '" OR 1=1 --',
        'nurse"*',
        "NEAR(nurse care)",
        "title:nurse",
        "-nurse",
        "nurse*",
        "^nurse",
        "nurse AND",
        "OR",
        "NOT nurse",
        "(((",
        ")",
        "{kind}:x",
        "nurse & | ! <->",
        "\\",
        "%",
        "_",
        "\x00nurse",
        "nurse\ue000",
        "💉 nurse",
        "a" * 5000,
        "nurse " * 400,
        "🏥",
        "\u0130stanbul",
        "ﬁle",
        "½",
        "٣",
    ],
)
def test_query_syntax_is_never_interpreted(query):
    index(1, "Nurse", "care")
    assert isinstance(search_ids(KIND, query), list)
    assert isinstance(search_hits(KIND, query), list)
    assert search_count(KIND, query) == len(search_ids(KIND, query))


def test_operators_typed_by_people_are_plain_words():
    index(1, "Nurse", "care")
    assert search_ids(KIND, "NOT nurse") == [1]  # "not" is a common word, left out
    assert search_ids(KIND, "nurse OR pharmacist") == []  # "or" too; then both words must match
    assert search_ids(KIND, "nurse*") == [1]


def test_a_query_without_words_finds_nothing():
    index(1, "Nurse")
    assert search_ids(KIND, "") == []
    assert search_ids(KIND, " ?! ") == []
    assert search_hits(KIND, "...") == []
    assert search_count(KIND, "-") == 0


# --- Kinds, upsert, removal ----------------------------------------------------------------------


def test_kinds_are_separate():
    index(1, "Nurse", kind="person")
    index(1, "Nurse station", kind="organization")
    assert search_ids("person", "nurse") == [1]
    hits = search_hits(("person", "organization"), "nurse")
    assert sorted((hit.kind, hit.object_id) for hit in hits) == [("organization", 1), ("person", 1)]


def test_indexing_again_replaces_the_document():
    index(1, "Nurse educator", "Teaches wound care.")
    index(1, "Pharmacist", "Runs the dispensary.")
    assert search_ids(KIND, "wound") == []
    assert search_ids(KIND, "dispensary") == [1]
    assert SearchDocument.objects.filter(kind=KIND).count() == 1


def test_removed_documents_are_not_found():
    index(1, "Nurse")
    index(2, "Nurse")
    search_remove(KIND, 1)
    search_remove(KIND, 99)  # not indexed: nothing happens
    assert search_ids(KIND, "nurse") == [2]
    assert search_count(KIND, "nurse") == 1


def test_many_documents_in_one_call_last_version_wins():
    written = search_index_many(
        KIND,
        [
            Document(object_id=n, title=f"Resource {n}", body="Guidance for clinicians")
            for n in range(1, 1201)
        ]
        + [Document(object_id=5, title="Replaced")],
    )
    assert written == 1201
    assert search_count(KIND, "clinicians", cap=None) == 1199
    assert search_count(KIND, "clinicians") == search.MAX_CANDIDATES
    assert search_ids(KIND, "replaced") == [5]


@pytest.mark.parametrize("kind", ["", "Person", "a b", "x" * 41, "person;drop"])
def test_kind_names_are_checked(kind):
    with pytest.raises(ValueError, match="not a document kind"):
        search_index(kind, 1, title="x")
    with pytest.raises(ValueError, match="not a document kind"):
        search_ids(kind, "x")


# --- Ranking, pages, restriction ------------------------------------------------------------------


def test_title_ranks_above_keywords_above_body():
    filler()
    index(3, "Clinic news", "A word about wound dressing.")
    index(2, "Clinic news", keywords="wound")
    index(1, "Wound clinic")
    assert search_ids(KIND, "wound") == [1, 2, 3]


def test_more_occurrences_rank_higher_and_ties_keep_id_order():
    filler()
    index(4, "Guide", "Sepsis screening, sepsis bundles and sepsis audits on the ward.")
    index(9, "Guide", "Sepsis screening on the ward, with bundles and audits each week.")
    index(7, "Guide", "Sepsis screening on the ward, with bundles and audits each week.")
    assert search_ids(KIND, "sepsis") == [4, 7, 9]


def test_pages_follow_the_ranking():
    filler()
    for n in range(1, 8):
        index(n, "Guide", "triage " * n + "and some other words to make it longer")
    ranked = search_ids(KIND, "triage")
    assert len(ranked) == 7
    pages = [search_hits(KIND, "triage", limit=3, offset=offset) for offset in (0, 3, 6, 9)]
    assert [[hit.object_id for hit in page] for page in pages] == [
        ranked[0:3],
        ranked[3:6],
        ranked[6:7],
        [],
    ]
    assert search_count(KIND, "triage") == 7
    assert search_ids(KIND, "triage", limit=2) == ranked[:2]


def test_within_restricts_to_given_ids():
    for n in range(1, 6):
        index(n, "Telehealth guide")
    assert search_ids(KIND, "telehealth", within=[2, 4, 99]) == [2, 4]
    assert search_count(KIND, "telehealth", within=[2, 4]) == 2
    assert search_ids(KIND, "telehealth", within=[]) == []
    assert search_ids(KIND, "telehealth", within=range(1, 20000)) == [1, 2, 3, 4, 5]


def test_counts_stop_at_the_cap():
    for n in range(1, 8):
        index(n, "Triage guide")
    assert search_count(KIND, "triage", cap=5) == 5
    assert search_count(KIND, "triage", cap=7) == 7
    assert search_count(KIND, "triage", cap=50) == 7
    assert search_count(KIND, "triage", cap=None) == 7
    assert search_count(KIND, "triage", cap=0) == 0
    assert search_count(KIND, "triage", within=[1, 2, 3], cap=2) == 2


def test_a_common_word_ranks_a_bounded_set_of_candidates(monkeypatch):
    """Past MAX_CANDIDATES matches, the best of the candidates come first; the newest documents
    are the candidates on SQLite (FTS5 gives them in that order without sorting)."""
    monkeypatch.setattr(search, "MAX_CANDIDATES", 4)
    filler()
    for n in range(1, 11):
        index(n, "Guide", "triage " * (n % 3 + 1) + "and other words for length")
    ranked = search_ids(KIND, "triage", limit=2)
    assert len(ranked) == 2
    candidates = search_ids(KIND, "triage", limit=4)
    assert len(candidates) == 4
    assert ranked == candidates[:2]
    # A page that reaches past the candidates widens them: nothing is left out of it.
    assert sorted(search_ids(KIND, "triage", limit=10)) == list(range(1, 11))
    assert search_count(KIND, "triage", cap=search.MAX_CANDIDATES) == 4
    if connection.vendor == "sqlite":
        assert set(candidates) == {7, 8, 9, 10}


def test_within_takes_a_queryset_without_loading_it(django_assert_num_queries):
    from townsquare.accounts.models import User
    from townsquare.accounts.tests.factories import make_user

    people = [make_user(display_name=f"Person {n}") for n in range(3)]
    for person in people:
        index(person.pk, "Telehealth guide")
    index(people[-1].pk + 1000, "Telehealth guide")
    visible = User.objects.filter(pk__in=[people[0].pk, people[2].pk])
    with django_assert_num_queries(1):
        assert search_ids(KIND, "telehealth", within=visible) == [people[0].pk, people[2].pk]
    assert search_count(KIND, "telehealth", within=visible) == 2
    assert search_ids(KIND, "telehealth", within=User.objects.none()) == []


def test_within_needs_a_single_kind():
    with pytest.raises(ValueError, match="one kind"):
        search_ids(("a", "b"), "x", within=[1])


def test_a_sample_gives_candidates_from_it_on_postgresql_and_falls_back_when_short():
    for object_id in range(1, 41):
        index(object_id, f"Ward round {object_id}")
    in_sample = search_ids(KIND, "ward ", limit=4, candidates=4, sample=4)
    assert len(in_sample) == 4
    if connection.vendor == "postgresql":
        assert all(object_id % 4 == 0 for object_id in in_sample)
    # Ten documents in the sample, twenty candidates wanted: the whole index answers.
    everywhere = search_ids(KIND, "ward ", limit=20, candidates=20, sample=4)
    assert len(everywhere) == 20
    assert any(object_id % 4 for object_id in everywhere)
    assert search_ids(KIND, "ward ", limit=3, candidates=20, sample=4) == everywhere[:3]


@pytest.mark.parametrize("sample", [0, 1, search.MAX_SAMPLE + 1])
def test_a_sample_must_be_a_fraction(sample):
    index(1, "Ward round")
    with pytest.raises(ValueError, match="sample"):
        search_ids(KIND, "ward", sample=sample)


# --- Highlighting --------------------------------------------------------------------------------


def test_hits_highlight_matching_words_in_title_and_snippet():
    filler()
    index(
        1,
        "Nurses & <b>Doctors</b>",
        "The night nurse hands over to the day team. Nursing notes stay on the ward.",
    )
    [hit] = search_hits(KIND, "nursing")
    assert hit.title == "Nurses & <b>Doctors</b>"
    assert hit.title_html == "<mark>Nurses</mark> &amp; &lt;b&gt;Doctors&lt;/b&gt;"
    assert "<mark>nurse</mark>" in hit.snippet_html
    assert "<mark>Nursing</mark> notes" in hit.snippet_html
    assert "night" in hit.snippet_html


def test_highlights_work_through_accents_and_prefixes():
    index(1, "José Núñez", "Dr. José Núñez leads the telehealth programme.")
    [hit] = search_hits(KIND, "jose tele")
    assert hit.title_html == "<mark>José</mark> Núñez"
    assert "<mark>José</mark>" in hit.snippet_html
    assert "<mark>telehealth</mark>" in hit.snippet_html


def test_snippets_are_escaped():
    index(
        1,
        "<script>alert(1)</script> guide",
        'Click <a href="javascript:alert(1)">nurse</a> & <img src=x onerror=alert(1)> now',
    )
    [hit] = search_hits(KIND, "nurse")
    for html in (hit.title_html, hit.snippet_html):
        assert re.sub(r"</?mark>", "", html).count("<") == 0
    assert hit.title_html.startswith("&lt;script&gt;")
    assert "<mark>nurse</mark>" in hit.snippet_html


def test_highlight_marks_in_the_text_cannot_open_tags():
    index(
        1,
        f"Ward {search.HIGHLIGHT_START}nurse{search.HIGHLIGHT_END} x\x00y",
        f"{search.HIGHLIGHT_END}ward{search.HIGHLIGHT_START} notes",
    )
    [hit] = search_hits(KIND, "ward")
    assert hit.title_html == "<mark>Ward</mark>  nurse  x y"
    assert hit.snippet_html.count("<mark>") == 1
    assert "<mark>ward</mark>" in hit.snippet_html


def test_long_bodies_are_cut_to_a_snippet_around_the_match():
    body = (
        " ".join(f"filler{n}" for n in range(300))
        + " the anaphylaxis protocol "
        + " ".join(f"tail{n}" for n in range(300))
    )
    index(1, "Protocols", body)
    [hit] = search_hits(KIND, "anaphylaxis")
    assert "<mark>anaphylaxis</mark> protocol" in hit.snippet_html
    assert len(hit.snippet_html.split()) <= search.SNIPPET_WORDS * 2 + 4


def test_words_the_stemmer_changes_at_the_front_are_still_highlighted():
    # PostgreSQL stems "dying" to "die": the passage cut from the index's positions does not
    # trust a word that does not begin like its stem, and asks ts_headline instead.
    index(1, "Hospice notes", "The patient was dying quietly at home with her family.")
    [hit] = search_hits(KIND, "dying ")
    assert "<mark>dying</mark> quietly" in hit.snippet_html


def test_a_match_in_the_title_alone_gives_the_start_of_the_body():
    body = " ".join(f"word{n}" for n in range(60))
    index(1, "Anaphylaxis", body, keywords="allergy")
    [hit] = search_hits(KIND, "anaphylaxis ")
    assert hit.title_html == "<mark>Anaphylaxis</mark>"
    assert "<mark>" not in hit.snippet_html
    assert hit.snippet_html.startswith("word0 word1")


# --- Passages cut from positions (PostgreSQL's snippets) -----------------------------------------

MARK, END = search.HIGHLIGHT_START, search.HIGHLIGHT_END


def test_the_passage_marks_the_words_at_the_positions_after_title_and_keywords():
    # Title 2 words, keywords 1: body word n is at position n + 3.
    body = "Wash hands before every patient contact, patients first."
    passage = search.snippet_at_positions("Hand hygiene", "infection", body, ["8 patient"])
    assert passage == f"Wash hands before every {MARK}patient{END} contact, patients first."


def test_the_passage_is_the_window_with_the_most_matches_and_says_where_text_goes_on():
    words = [f"w{n}" for n in range(1, 201)]
    words[9] = "lonely"
    for n in (120, 125, 130):
        words[n - 1] = "cluster"
    matched = ["10 lone", "120 cluster", "125 cluster", "130 cluster"]
    passage = search.snippet_at_positions("", "", " ".join(words), matched)
    assert passage is not None
    assert passage.startswith("…w117 w118 w119 ")
    assert passage.count(MARK) == 3
    assert "lonely" not in passage
    assert passage.endswith("…")
    assert len(passage.split()) == search.SNIPPET_WORDS


def test_the_passage_counts_words_as_the_index_does_through_accents_and_ligatures():
    body = "Dr. José Núñez leads the ﬁrst telehealth programme."
    # dr 1, jose 2, nunez 3, leads 4, the 5, first 6, telehealth 7
    passage = search.snippet_at_positions("", "", body, ["2 jose", "7 telehealth"])
    assert passage == f"Dr. {MARK}José{END} Núñez leads the ﬁrst {MARK}telehealth{END} programme."


_VOCABULARY = [
    "patient",
    "patients",
    "policy",
    "policies",
    "nurse",
    "nursing",
    "nurses",
    "dying",
    "died",
    "José",
    "Núñez",
    "ﬁrst",
    "e-mail",
    "ward",
    "3.5",
    "mg",
    "the",
    "of",
    "and",
    "café",
    "community",
    "communities",
    "happily",
    "ran",
    "running",
    "<b>",
    "x1",
    "2026-11-24",
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's passages")
@DATABASE_SETTINGS
@given(
    words=st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=80),
    separators=st.lists(st.sampled_from([" ", ", ", ". ", "\n", " (", ") ", " — "]), max_size=80),
    query=st.sampled_from(["patient", "policy", "nursing", "dying", "jose", "community", "run"]),
)
def test_a_passage_marks_only_what_ts_headline_marks(words, separators, query):
    body = "".join(
        word + (separators[i] if i < len(separators) else " ") for i, word in enumerate(words)
    )
    search_index(KIND, 7, title="Notes", body=body, keywords="ward")
    hits = search_hits(KIND, query + " ")
    if not hits:
        return
    marked = set(re.findall(r"<mark>(.*?)</mark>", hits[0].snippet_html))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline('townsquare_english', %s, to_tsquery('townsquare_english', %s), "
            "'HighlightAll=true, StartSel=[[, StopSel=]]')",
            [body, search._backend().match(query_terms(query, whole_words=True))],
        )
        [everything] = cursor.fetchone()
    expected = set(re.findall(r"\[\[(.*?)\]\]", everything))
    assert marked <= {escape(word) for word in expected}
    assert bool(marked) == bool(expected)


def test_a_passage_whose_words_disagree_with_the_positions_is_refused():
    body = "Night shift handover for the ward team."
    assert search.snippet_at_positions("", "", body, ["2 patient"]) is None
    assert search.snippet_at_positions("", "", body, ["99 ward"]) is None
    assert search.snippet_at_positions("", "", "", []) == ""


@pytest.mark.parametrize(
    ("marked", "html"),
    [
        ("plain <b>", "plain &lt;b&gt;"),
        ("\ue000a\ue001 & \ue000b", "<mark>a</mark> &amp; <mark>b</mark>"),
        ("\ue001x\ue000\ue000y", "x<mark>y</mark>"),
        ("\ue000\ue001", ""),
    ],
)
def test_highlighted_html_is_balanced_and_escaped(marked, html):
    assert highlighted_html(marked) == html


@given(st.text(max_size=200))
def test_highlighted_html_never_lets_markup_through(text):
    html = highlighted_html(text)
    assert "<" not in re.sub(r"</?mark>", "", html)
    assert html.count("<mark>") == html.count("</mark>")


def test_markdown_text_keeps_words_without_markup():
    assert markdown_text("# Hi\n\n**Bold** [link](https://x.org) `code`\n\n```\nblock\n```") == (
        "Hi\nBold link code\nblock"
    )
    assert markdown_text("") == ""


# --- Arbitrary input -----------------------------------------------------------------------------


@pytest.fixture
def some_documents(db):
    index(1, "Nurse educator", "Wound care and sepsis screening.")
    index(2, "José Núñez", "Telehealth; COVID-19 guidance v2.1")
    index(3, "<script>", "\"quoted\" 'text' (brackets) * NEAR OR AND NOT")


@DATABASE_SETTINGS
@given(query=st.text(max_size=120))
def test_any_query_text_is_safe(some_documents, query):
    ids = search_ids(KIND, query)
    hits = search_hits(KIND, query, limit=5)
    assert set(ids) <= {1, 2, 3}
    assert [hit.object_id for hit in hits] == ids[:5]
    assert search_count(KIND, query) == len(ids)


@DATABASE_SETTINGS
@given(title=st.text(max_size=80), body=st.text(max_size=300), query=st.text(max_size=40))
def test_any_document_text_is_safe(title, body, query):
    search_index(KIND, 7, title=title, body=body)
    for hit in search_hits(KIND, query):
        assert "<" not in re.sub(r"</?mark>", "", hit.title_html + hit.snippet_html)


LATIN_WORDS = st.lists(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éüñçøÅ",
        min_size=1,
        max_size=20,
    ),
    min_size=1,
    max_size=8,
)
SEPARATORS = st.sampled_from([" ", ", ", "-", ".", "'", " (", ") ", "@", "/", "_", ": "])


@DATABASE_SETTINGS
@given(words=LATIN_WORDS, separator=SEPARATORS)
def test_a_document_is_found_by_its_own_words(words, separator):
    text = separator.join(words)
    search_index(KIND, 7, title=text)
    assert search_ids(KIND, text) == [7]
    assert search_ids(KIND, text.upper()) == [7]


# --- Rebuild -------------------------------------------------------------------------------------


def test_rebuild_indexes_the_source_and_drops_what_it_no_longer_has(monkeypatch):
    monkeypatch.setitem(
        search._sources,
        "test-note",
        lambda: (Document(object_id=n, title=f"Rebuilt {n}") for n in range(1, 26)),
    )
    search_index("test-note", 500, title="Rebuilt but gone")
    search_index(KIND, 500, title="Rebuilt in another kind")

    result = search_rebuild("test-note", batch_size=10)

    assert (result.indexed, result.removed) == (25, 1)
    assert search_count("test-note", "rebuilt") == 25
    assert search_ids(KIND, "rebuilt") == [500]


def test_rebuild_command_prints_counts(monkeypatch, capsys):
    monkeypatch.setitem(search._sources, "test-note", lambda: [Document(1, "Rebuilt")])
    call_command("search_rebuild", "--kind", "test-note")
    output = capsys.readouterr().out
    assert "test-note: 1 indexed, 0 removed" in output
    assert search_ids("test-note", "rebuilt") == [1]


def test_rebuild_command_refuses_unknown_kinds():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown kind: nothing"):
        call_command("search_rebuild", "--kind", "nothing")
