"""Citations: BibTeX and RIS entry types per resource type, escaping, corporate authors, and
property tests that no title breaks either format."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.accounts.tests.factories import make_organization

from ..models import Resource, ResourceAuthor, ResourceType, ResourceVersion
from ..services.citations import (
    BIBTEX_TYPES,
    RIS_TYPES,
    bibtex,
    bibtex_escape,
    citation_filename,
    one_line,
    ris,
)
from .factories import make_resource, make_topic

URL = "https://townsquare.example/library/r/x/"
ACCESSED = datetime.date(2026, 1, 15)


def unescape_bibtex(value: str) -> str:
    """The inverse of ``bibtex_escape`` (what a BibTeX reader shows)."""
    replacements = {
        r"\textbackslash{}": "\\",
        r"\textasciicircum{}": "^",
        r"\textasciitilde{}": "~",
        r"\{": "{",
        r"\}": "}",
        r"\$": "$",
        r"\&": "&",
        r"\%": "%",
        r"\#": "#",
        r"\_": "_",
    }
    pattern = re.compile("|".join(re.escape(key) for key in replacements))
    return pattern.sub(lambda match: replacements[match.group(0)], value)


def braces_balanced(text: str) -> bool:
    """Unescaped braces balance and never close more than they opened."""
    depth = 0
    index = 0
    while index < len(text):
        character = text[index]
        if character == "\\":
            index += 2
            continue
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                return False
        index += 1
    return depth == 0


def bibtex_fields(entry: str) -> dict[str, str]:
    """Fields of a one-entry BibTeX text as written by ``bibtex`` (one ``name = {value},`` a
    line, values with balanced braces)."""
    lines = entry.strip().split("\n")
    assert lines[0].startswith("@")
    assert lines[0].endswith(",")
    assert lines[-1] == "}"
    fields = {}
    for line in lines[1:-1]:
        match = re.fullmatch(r"  ([a-z]+) = \{(.*)\},", line)
        assert match, line
        fields[match.group(1)] = match.group(2)
    return fields


def ris_fields(record: str) -> list[tuple[str, str]]:
    assert record.endswith("ER  - \r\n")
    lines = record.split("\r\n")[:-1]
    parsed = []
    for line in lines:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        parsed.append((match.group(1), match.group(2)))
    return parsed


# --- Entry types and fields ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "bib_type", "ris_type"),
    [
        (ResourceType.BOOK, "book", "BOOK"),
        (ResourceType.WHITE_PAPER, "techreport", "RPRT"),
        (ResourceType.CASE_STUDY, "techreport", "RPRT"),
        (ResourceType.MANUAL, "manual", "GEN"),
        (ResourceType.POLICY, "misc", "GEN"),
        (ResourceType.GUIDELINE, "misc", "GEN"),
        (ResourceType.VIDEO, "misc", "VIDEO"),
        (ResourceType.TEMPLATE, "misc", "GEN"),
        (ResourceType.TOOLKIT, "misc", "GEN"),
    ],
)
def test_entry_type_per_resource_type(kind, bib_type, ris_type):
    resource = make_resource(kind=kind, indexed=False)
    assert bibtex(resource, url=URL, accessed=ACCESSED).startswith(f"@{bib_type}{{")
    assert ris(resource, url=URL, accessed=ACCESSED).startswith(f"TY  - {ris_type}\r\n")


def test_every_resource_type_has_both_entry_types():
    assert set(BIBTEX_TYPES) == set(ResourceType)
    assert set(RIS_TYPES) == set(ResourceType)


@pytest.mark.django_db
def test_book_bibtex_has_authors_year_publisher_isbn_doi_url():
    topic = make_topic("Patient privacy")
    resource = make_resource(
        title="Social media & 100% of patients",
        kind=ResourceType.BOOK,
        authors=("Ada Lovelace", "Hopper, Grace"),
        published_on=datetime.date(2024, 3, 5),
        isbn="9780306406157",
        doi="10.1000/xyz_123",
        topics=(topic,),
        indexed=False,
    )
    ResourceAuthor.objects.create(
        resource=resource, position=5, name="World Health Organization", is_organization=True
    )
    resource = Resource.objects.get(pk=resource.pk)
    entry = bibtex(resource, url=URL, accessed=ACCESSED)
    fields = bibtex_fields(entry)
    assert entry.startswith(f"@book{{testresource{resource.slug.split('-')[-1]}2024,")
    assert fields["title"] == r"{Social media \& 100\% of patients}"
    assert fields["author"] == "Lovelace, Ada and Hopper, Grace and {World Health Organization}"
    assert fields["year"] == "2024"
    assert fields["month"] == "3"
    assert fields["publisher"] == "Townsquare"
    assert fields["isbn"] == "9780306406157"
    assert fields["doi"] == r"10.1000/xyz\_123"
    assert fields["url"] == URL
    assert fields["urldate"] == "2026-01-15"
    assert fields["keywords"] == "Patient privacy"
    assert "edition" not in fields


@pytest.mark.django_db
def test_an_organizations_resource_is_published_by_it_and_a_version_is_named():
    organization = make_organization(name="Mercy Health")
    resource = make_resource(
        kind=ResourceType.WHITE_PAPER,
        organization=organization,
        authors=(),
        indexed=False,
    )
    version = ResourceVersion.objects.get(resource=resource)
    fields = bibtex_fields(bibtex(resource, version, url=URL, accessed=ACCESSED))
    assert fields["institution"] == "Mercy Health"
    assert fields["type"] == "White paper"
    assert fields["edition"] == "Version 1"
    assert "author" not in fields
    record = dict(ris_fields(ris(resource, version, url=URL, accessed=ACCESSED)))
    assert record["PB"] == "Mercy Health"
    assert record["ET"] == "Version 1"
    assert citation_filename(resource, version, "ris") == f"{resource.slug}-v1.ris"
    assert citation_filename(resource, None, "bib") == f"{resource.slug}.bib"


@pytest.mark.django_db
def test_ris_record_fields():
    resource = make_resource(
        title="Responding to reviews",
        kind=ResourceType.VIDEO,
        authors=("Ada Lovelace",),
        summary="How to answer\nonline reviews.",
        published_on=datetime.date(2023, 11, 2),
        indexed=False,
    )
    ResourceAuthor.objects.create(
        resource=resource, position=3, name="Mayo, Clinic", is_organization=True
    )
    resource = Resource.objects.get(pk=resource.pk)
    record = ris_fields(ris(resource, url=URL, accessed=ACCESSED))
    assert record[0] == ("TY", "VIDEO")
    assert record[-1] == ("ER", "")
    as_dict = dict(record)
    assert [value for tag, value in record if tag == "AU"] == ["Lovelace, Ada", "Mayo, Clinic"]
    assert as_dict["PY"] == "2023"
    assert as_dict["DA"] == "2023/11/02/"
    assert as_dict["AB"] == "How to answer online reviews."
    assert as_dict["UR"] == URL
    assert as_dict["Y2"] == "2026/01/15/"
    assert as_dict["PB"] == "Townsquare"


def test_escaping_the_ten_special_characters():
    assert bibtex_escape("a\\b{c}$d&e%f#g_h^i~j") == (
        r"a\textbackslash{}b\{c\}\$d\&e\%f\#g\_h\textasciicircum{}i\textasciitilde{}j"
    )
    assert bibtex_escape("Line one\nline\ttwo\x00") == "Line one line two"
    assert one_line("  many   spaces\r\n") == "many spaces"


# --- Properties ----------------------------------------------------------------------------------

# PostgreSQL text cannot hold NUL; the forms and the API refuse it before it gets here.
TITLES = st.text(
    alphabet=st.characters(blacklist_characters="\x00"), min_size=1, max_size=300
).filter(lambda title: one_line(title) != "")


@given(title=TITLES)
def test_any_text_escapes_to_balanced_braces_and_back(title):
    escaped = bibtex_escape(title)
    assert braces_balanced("{" + escaped + "}")
    assert "\n" not in escaped
    assert "\r" not in escaped
    assert unescape_bibtex(escaped) == one_line(title)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TITLES, author=TITLES)
def test_any_title_and_author_round_trip_through_both_formats(title, author):
    resource = Resource(
        slug="any-title",
        kind=ResourceType.BOOK,
        title=title,
        summary=title,
        published_on=datetime.date(2020, 1, 1),
    )
    resource.save()
    try:
        ResourceAuthor.objects.create(resource=resource, name=author, is_organization=True)
        entry = bibtex(resource, url=URL, accessed=ACCESSED)
        assert braces_balanced(entry)
        fields = bibtex_fields(entry)
        assert fields["title"].startswith("{")
        assert fields["title"].endswith("}")
        assert unescape_bibtex(fields["title"][1:-1]) == one_line(title)
        assert unescape_bibtex(fields["author"][1:-1]) == one_line(author)
        record = ris_fields(ris(resource, url=URL, accessed=ACCESSED))
        assert [value for tag, value in record if tag == "TI"] == [one_line(title)]
        assert [value for tag, value in record if tag == "AU"] == [one_line(author)]
        assert sum(1 for tag, _ in record if tag == "ER") == 1
    finally:
        resource.delete()


@pytest.mark.django_db
def test_a_citation_of_a_resource_you_may_not_open_leaves_out_its_doi_and_isbn(client):
    from django.urls import reverse

    from townsquare.accounts.tests.factories import make_staff, make_user

    from ..models import Access

    resource = make_resource(
        access=Access.STAFF, kind="book", doi="10.1000/locked1", isbn="9780306406157"
    )
    client.force_login(make_user())
    text = client.get(reverse("library:citation", args=[resource.slug, "ris"])).content.decode()
    assert resource.title in text
    assert "10.1000/locked1" not in text
    assert "9780306406157" not in text
    client.force_login(make_staff())
    text = client.get(reverse("library:citation", args=[resource.slug, "ris"])).content.decode()
    assert "DO  - 10.1000/locked1" in text
    assert "SN  - 9780306406157" in text
