"""Citations of a resource (or one of its versions) as BibTeX and RIS, for reference managers
(Zotero, EndNote, Mendeley, JabRef). Reads only; nothing here writes.

Entry types follow what the reference managers map best: a book is ``@book``/``BOOK``, a white
paper or case study a report (``@techreport``/``RPRT``), a manual ``@manual``, a video
``@misc``/``VIDEO``, policies, guidelines, templates and toolkits ``@misc``/``GEN``. Corporate
authors (organizations) are one name, so BibTeX gets them in braces and never splits them into
family and given names. Titles and every other value are escaped so that no character a person
can type breaks the file."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from ..models import Resource, ResourceAuthor, ResourceType, ResourceVersion

BIBTEX_TYPES = {
    ResourceType.BOOK: "book",
    ResourceType.WHITE_PAPER: "techreport",
    ResourceType.CASE_STUDY: "techreport",
    ResourceType.MANUAL: "manual",
    ResourceType.VIDEO: "misc",
    ResourceType.POLICY: "misc",
    ResourceType.GUIDELINE: "misc",
    ResourceType.TEMPLATE: "misc",
    ResourceType.TOOLKIT: "misc",
}
RIS_TYPES = {
    ResourceType.BOOK: "BOOK",
    ResourceType.WHITE_PAPER: "RPRT",
    ResourceType.CASE_STUDY: "RPRT",
    ResourceType.MANUAL: "GEN",
    ResourceType.VIDEO: "VIDEO",
    ResourceType.POLICY: "GEN",
    ResourceType.GUIDELINE: "GEN",
    ResourceType.TEMPLATE: "GEN",
    ResourceType.TOOLKIT: "GEN",
}
FORMATS = {"bib": "bibtex", "bibtex": "bibtex", "ris": "ris"}
CONTENT_TYPES = {"bibtex": "application/x-bibtex", "ris": "application/x-research-info-systems"}
EXTENSIONS = {"bibtex": "bib", "ris": "ris"}

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Control characters and line breaks become spaces; runs of spaces collapse."""
    cleaned = "".join(
        " " if unicodedata.category(character)[0] in {"C", "Z"} else character for character in text
    )
    return _WHITESPACE.sub(" ", cleaned).strip()


def bibtex_escape(text: str) -> str:
    """A value safe inside ``{...}`` in BibTeX: the ten special characters escaped, braces
    balanced whatever the input."""
    return "".join(_BIBTEX_SPECIAL.get(character, character) for character in one_line(text))


@dataclass(frozen=True)
class Citation:
    """What both formats say about a resource, gathered once."""

    key: str
    kind: str
    title: str
    authors: list[tuple[str, bool]]  # (name, is_organization)
    year: int | None
    issued: date | None
    publisher: str
    url: str
    doi: str
    isbn: str
    summary: str
    language: str
    topics: list[str]
    version: int | None
    accessed: date


def _citation(
    resource: Resource,
    *,
    version: ResourceVersion | None,
    url: str,
    accessed: date,
    with_identifiers: bool = True,
) -> Citation:
    issued = resource.published_on or (
        resource.published_at.date() if resource.published_at else None
    )
    authors: Iterable[ResourceAuthor] = resource.authors.all()
    publisher = resource.organization.name if resource.organization else settings.SITE_NAME
    key_base = re.sub(r"[^a-z0-9]+", "", resource.slug.lower())[:40] or "resource"
    return Citation(
        key=f"{key_base}{issued.year if issued else ''}"
        + (f"v{version.number}" if version else ""),
        kind=resource.kind,
        title=one_line(resource.title),
        authors=[
            (one_line(author.name), author.is_organization)
            for author in authors
            if one_line(author.name)
        ],
        year=issued.year if issued else None,
        issued=issued,
        publisher=one_line(publisher),
        url=url,
        doi=resource.doi if with_identifiers else "",
        isbn=resource.isbn if with_identifiers else "",
        summary=one_line(resource.summary),
        language=resource.language,
        topics=[one_line(topic.name) for topic in resource.topics.all()],
        version=version.number if version else None,
        accessed=accessed,
    )


def _person_bibtex(name: str) -> str:
    """``Given Family`` -> ``Family, Given`` (a name already with a comma is kept)."""
    if "," in name:
        return bibtex_escape(name)
    parts = name.split(" ")
    if len(parts) == 1:
        return bibtex_escape(name)
    return f"{bibtex_escape(parts[-1])}, {bibtex_escape(' '.join(parts[:-1]))}"


def _person_ris(name: str) -> str:
    if "," in name:
        return name
    parts = name.split(" ")
    return name if len(parts) == 1 else f"{parts[-1]}, {' '.join(parts[:-1])}"


def bibtex(
    resource: Resource,
    version: ResourceVersion | None = None,
    *,
    url: str,
    accessed: date | None = None,
    with_identifiers: bool = True,
) -> str:
    """One BibTeX entry. ``url`` is the stable link (of the version when one is given)."""
    citation = _citation(
        resource,
        version=version,
        url=url,
        accessed=accessed or timezone.localdate(),
        with_identifiers=with_identifiers,
    )
    entry_type = BIBTEX_TYPES.get(ResourceType(citation.kind), "misc")
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(citation.title) + "}")]
    if citation.authors:
        names = [
            "{" + bibtex_escape(name) + "}" if is_organization else _person_bibtex(name)
            for name, is_organization in citation.authors
        ]
        fields.append(("author", " and ".join(names)))
    if citation.year is not None:
        fields.append(("year", str(citation.year)))
        if citation.issued is not None:
            fields.append(("month", str(citation.issued.month)))
    publisher = bibtex_escape(citation.publisher)
    if entry_type == "techreport":
        fields.append(("institution", publisher))
        fields.append(
            ("type", "Case study" if citation.kind == ResourceType.CASE_STUDY else "White paper")
        )
    elif entry_type == "manual":
        fields.append(("organization", publisher))
    else:
        fields.append(("publisher", publisher))
    if entry_type == "misc":
        label = ResourceType(citation.kind).label
        fields.append(("howpublished", bibtex_escape(label)))
    if citation.version is not None:
        fields.append(("edition", f"Version {citation.version}"))
        fields.append(("version", str(citation.version)))
    if citation.doi:
        fields.append(("doi", bibtex_escape(citation.doi)))
    if citation.isbn:
        fields.append(("isbn", citation.isbn))
    fields.append(("url", bibtex_escape(citation.url)))
    fields.append(("urldate", citation.accessed.isoformat()))
    if citation.language:
        fields.append(("language", bibtex_escape(citation.language)))
    if citation.topics:
        fields.append(("keywords", bibtex_escape(", ".join(citation.topics))))
    lines = [f"@{entry_type}{{{citation.key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(
    resource: Resource,
    version: ResourceVersion | None = None,
    *,
    url: str,
    accessed: date | None = None,
    with_identifiers: bool = True,
) -> str:
    """One RIS record (``TY`` first, ``ER`` last, CRLF line ends as the format asks)."""
    citation = _citation(
        resource,
        version=version,
        url=url,
        accessed=accessed or timezone.localdate(),
        with_identifiers=with_identifiers,
    )
    entry_type = RIS_TYPES.get(ResourceType(citation.kind), "GEN")
    lines: list[tuple[str, str]] = [("TY", entry_type), ("TI", citation.title)]
    for name, is_organization in citation.authors:
        lines.append(("AU", name if is_organization else _person_ris(name)))
    if citation.year is not None and citation.issued is not None:
        lines.append(("PY", str(citation.year)))
        lines.append(("DA", citation.issued.strftime("%Y/%m/%d/")))
    lines.append(("PB", citation.publisher))
    if entry_type == "GEN":
        lines.append(("M3", ResourceType(citation.kind).label))
    if citation.version is not None:
        lines.append(("ET", f"Version {citation.version}"))
    if citation.doi:
        lines.append(("DO", citation.doi))
    if citation.isbn:
        lines.append(("SN", citation.isbn))
    lines.append(("UR", citation.url))
    lines.append(("Y2", citation.accessed.strftime("%Y/%m/%d/")))
    if citation.summary:
        lines.append(("AB", citation.summary))
    if citation.language:
        lines.append(("LA", citation.language))
    lines += [("KW", topic) for topic in citation.topics]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def citation_text(
    resource: Resource,
    version: ResourceVersion | None = None,
    *,
    fmt: str,
    url: str,
    accessed: date | None = None,
    with_identifiers: bool = True,
) -> str:
    """``fmt`` is ``bibtex`` or ``ris`` (see ``FORMATS`` for the accepted spellings). Leave the
    DOI and ISBN out (``with_identifiers=False``) for someone who may see the resource but not
    open it: the restricted page does not show them either."""
    render = bibtex if FORMATS[fmt] == "bibtex" else ris
    return render(resource, version, url=url, accessed=accessed, with_identifiers=with_identifiers)


def citation_filename(resource: Resource, version: ResourceVersion | None, fmt: str) -> str:
    suffix = f"-v{version.number}" if version else ""
    return f"{resource.slug}{suffix}.{EXTENSIONS[FORMATS[fmt]]}"
