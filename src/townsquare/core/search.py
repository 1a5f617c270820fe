"""Full-text search: one interface over SQLite FTS5 and PostgreSQL tsvector, behaving the same.

A searchable thing (a person, an organization, a library resource, a post) is a *document*: a
``kind`` and an ``object_id`` name it, and its text is a ``title`` (weighted most), ``keywords``
(weighted next: job titles, tags, names of related things) and a ``body``. Apps write documents
with ``search_index`` / ``search_index_many`` after their own writes commit, and register a source
with ``@search_source(kind)`` so that ``townsquare search_rebuild`` can rebuild the index from
their tables.

Queries are typed by people, so they are never passed to an engine's query language. The query is
split into words; every word must match (AND); the last word also matches as a prefix while it is
still being typed ("nur" finds "nurse"); case and accents do not matter; both engines stem English
words ("nurses" finds "nursing"). Common English words ("the", "of") are left out of a query that
has other words, so "care of the patient" finds "patient care".

Why the engines agree: SQLite's FTS5 table uses ``porter unicode61 remove_diacritics 2`` and
indexes every word. On PostgreSQL the text is split into words here in Python (so e-mail
addresses, URLs and numbers like "3.5" become plain words, as FTS5 sees them), accents are
removed here too, and the ``townsquare_english`` configuration stems with Snowball English but
keeps stop words, as FTS5 does. See docs/search.md for the few differences that remain.
"""

from __future__ import annotations

import json
import re
import unicodedata
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from .models import SearchDocument

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")
MAX_QUERY_LENGTH = 500
MAX_QUERY_WORDS = 12
MAX_WORD_LENGTH = 64
MAX_TITLE_LENGTH = 1_000
# A PostgreSQL tsvector holds at most 1 MB; this much text stays well below it on both engines.
MAX_TEXT_LENGTH = 100_000
SNIPPET_WORDS = 24
# A query ranks at most this many matching documents (the newest first on SQLite, the first the
# index finds on PostgreSQL) and counts at most this many: a one-word query that matches a
# hundred thousand documents costs what one matching a thousand does. See docs/search.md.
MAX_CANDIDATES = 1_000
MAX_SAMPLE = 1_000
WRITE_BATCH_SIZE = 500
DELETE_BATCH_SIZE = 500

FTS_TABLE = "core_searchdocument_fts"
POSTGRES_CONFIGURATION = "townsquare_english"

# Private-use characters mark highlights inside the engines' output; the text is escaped first and
# the marks become <mark> afterwards, so nothing in the indexed text can inject HTML. They are
# removed from every indexed text, so only the engines can put them there.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
_HIGHLIGHT_SPLIT = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])")

# PostgreSQL's English stop words (tsearch_data/english.stop).
# fmt: off
STOP_WORDS = frozenset({
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it",
    "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who",
    "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been",
    "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and",
    "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
    "against", "between", "into", "through", "during", "before", "after", "above", "below", "to",
    "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
    "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few",
    "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
    "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now"
})
# fmt: on

# Letters and digits in any script; everything else (punctuation, symbols, "_") separates words,
# as in FTS5's unicode61 tokenizer.
_WORD = re.compile(r"[^\W_]+")
_UNSAFE_CHARACTERS = re.compile(f"[\x00{HIGHLIGHT_START}{HIGHLIGHT_END}]")


@dataclass(frozen=True)
class Document:
    """The text of one searchable object, as its app describes it."""

    object_id: int
    title: str
    body: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class Hit:
    """One result: the object, its title, and HTML with the matching words in <mark>."""

    kind: str
    object_id: int
    title: str
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class Term:
    """One word of a query, as typed (NFC); the engines fold case and accents themselves."""

    text: str
    is_prefix: bool


@dataclass(frozen=True)
class RebuildResult:
    kind: str
    indexed: int
    removed: int


@dataclass(frozen=True)
class CheckEach:
    """A ``within`` queryset to check candidate by candidate through its primary keys, never
    as a whole set built first. PostgreSQL decides for itself otherwise, and may build the set
    when its estimates are off (rows reached through several joins, e.g. the library's readable
    chapters: 94 ms instead of 4). SQLite always checks candidate by candidate."""

    queryset: QuerySet[Any]


DocumentSource = Callable[[], Iterable[Document]]
Within = Iterable[int] | QuerySet[Any] | CheckEach | None

_sources: dict[str, DocumentSource] = {}


# --- Queries -------------------------------------------------------------------------------------


def query_terms(query: str, *, whole_words: bool = False) -> list[Term]:
    """The words of a user's query, ready for either engine; [] when nothing can be searched.

    As people type, the last word also matches as a prefix ("nur" finds "nurse"). A submitted
    search asks for ``whole_words``: every word matches whole (stemmed: "nurses" finds
    "nursing"), and only a word ending in "*" matches as a prefix ("polic*"). A prefix is
    dearer: the engines merge the lists of every word it begins.
    """
    text = unicodedata.normalize("NFC", query[:MAX_QUERY_LENGTH])
    matches = list(_WORD.finditer(text))
    if not matches:
        return []
    # A word is still being typed when nothing follows it; "nurs*" asks for a prefix too.
    after_last = text[matches[-1].end() :]
    last_is_typed = after_last == "*" or (after_last == "" and not whole_words)
    words = [
        (match.group(), index == len(matches) - 1 and last_is_typed)
        for index, match in enumerate(matches)
    ]
    if any(word.lower() not in STOP_WORDS for word, _ in words):
        # A word still being typed stays: "nurse the" may become "nurse therapy".
        words = [
            (word, is_prefix)
            for word, is_prefix in words
            if is_prefix or word.lower() not in STOP_WORDS
        ]
    terms: list[Term] = []
    seen: set[tuple[str, bool]] = set()
    for word, is_prefix in words:
        term = (
            Term(word[:MAX_WORD_LENGTH], True)
            if len(word) > MAX_WORD_LENGTH
            else Term(word, is_prefix)
        )
        key = (term.text.lower(), term.is_prefix)
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return terms[:MAX_QUERY_WORDS]


def search_ids(
    kind: str | Sequence[str],
    query: str,
    *,
    limit: int = 500,
    within: Within = None,
    candidates: int = MAX_CANDIDATES,
    whole_words: bool = False,
    sample: int | None = None,
) -> list[int]:
    """Object ids of the documents that match ``query``, best match first (``whole_words``:
    see ``query_terms``).

    ``sample`` (PostgreSQL; for a kind with many documents): look for the candidates among the
    documents whose object id is a multiple of ``sample`` first, and in all of them only when
    that sample holds too few. A GIN index hands back every match of a word before the first
    is ranked (98,000 for "patient" in 100,000 resources: 9 ms); a partial index over the
    sample (``WHERE kind = … AND object_id % sample = 0``, which the kind's app creates) holds
    a ``sample``-th of them. SQLite needs none: FTS5 stops at the newest candidates."""
    kinds, terms = _kinds(kind), query_terms(query, whole_words=whole_words)
    restriction = _restriction(within, kinds)
    if not terms or restriction is None or limit <= 0:
        return []
    if sample is not None and not 1 < sample <= MAX_SAMPLE:
        raise ValueError(f"A sample is one document in 2 to {MAX_SAMPLE}, not {sample!r}.")
    return _backend().ranked_ids(
        terms,
        kinds,
        restriction,
        limit=limit,
        candidates=_candidates(candidates, 0, limit),
        sample=sample,
    )


def search_hits(
    kind: str | Sequence[str],
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    within: Within = None,
    candidates: int = MAX_CANDIDATES,
    whole_words: bool = False,
) -> list[Hit]:
    """One page of results with highlighted titles and snippets, best match first.

    ``within`` restricts the results to these object ids: a list, or a queryset whose primary
    keys are the object ids (e.g. the resources the viewer may see), which stays in the database.
    ``candidates`` bounds how many matches are ranked (at least ``offset + limit``): a short
    list beside the main results ("5 more in chapters") needs far fewer than a page of results.
    ``whole_words``: see ``query_terms``.
    """
    terms = query_terms(query, whole_words=whole_words)
    rows = _ranked(
        _kinds(kind), terms, limit=limit, offset=offset, within=within, candidates=candidates
    )
    if not rows:
        return []
    highlights = _backend().highlights(terms, [row.document_id for row in rows])
    hits = []
    for row in rows:
        title_marked, snippet_marked = highlights.get(row.document_id, (row.title, ""))
        hits.append(
            Hit(
                kind=row.kind,
                object_id=row.object_id,
                title=row.title,
                title_html=highlighted_html(title_marked),
                snippet_html=highlighted_html(snippet_marked),
            )
        )
    return hits


def search_highlights(
    kind: str, query: str, object_ids: Sequence[int], *, whole_words: bool = False
) -> list[Hit]:
    """Hits for objects already found (e.g. one page of ``search_ids``), in that order, with
    highlighted titles and snippets; objects not in the index are left out. Cheaper than a
    second ranked search restricted to the page: the documents are looked up by id. Pass the
    ``whole_words`` the objects were found with."""
    _check_kind(kind)
    terms = query_terms(query, whole_words=whole_words)
    if not terms or not object_ids:
        return []
    found = _backend().object_highlights(kind, terms, [int(pk) for pk in object_ids])
    hits = []
    for object_id in object_ids:
        if object_id not in found:
            continue
        title, title_marked, snippet_marked = found[object_id]
        hits.append(
            Hit(
                kind=kind,
                object_id=object_id,
                title=title,
                title_html=highlighted_html(title_marked),
                snippet_html=highlighted_html(snippet_marked),
            )
        )
    return hits


def search_count(
    kind: str | Sequence[str],
    query: str,
    *,
    within: Within = None,
    cap: int | None = MAX_CANDIDATES,
    whole_words: bool = False,
) -> int:
    """How many documents match ``query`` (for pagination), counting no further than ``cap``: a
    count equal to ``cap`` means "``cap`` or more" (show it as "1,000+"). Results are ranked
    among the first ``MAX_CANDIDATES`` matches only, so no page lies beyond that count.
    ``cap=None`` counts every match (slow for a common word in a large index)."""
    kinds, terms = _kinds(kind), query_terms(query, whole_words=whole_words)
    restriction = _restriction(within, kinds)
    if not terms or restriction is None or (cap is not None and cap <= 0):
        return 0
    return _backend().count(terms, kinds, restriction, cap=cap)


def highlighted_html(marked: str) -> SafeString:
    """Escape text from an engine's highlighter and turn its marks into balanced <mark> tags."""
    parts: list[str] = []
    is_open = False
    for piece in _HIGHLIGHT_SPLIT.split(marked):
        if piece == HIGHLIGHT_START:
            if not is_open:
                parts.append("<mark>")
                is_open = True
        elif piece == HIGHLIGHT_END:
            if is_open:
                parts.append("</mark>")
                is_open = False
        elif piece:
            parts.append(escape(piece))
    if is_open:
        parts.append("</mark>")
    html = "".join(parts).replace("<mark></mark>", "")
    return mark_safe(html)  # noqa: S308 - every piece of text is escaped above


class _Highlight(NamedTuple):
    """A document's title, as stored and with the engine's marks, and its marked snippet."""

    title: str
    title_marked: str
    snippet_marked: str


class _Row(NamedTuple):
    """A ranked document (a tuple: a thousand of them are made per common-word search)."""

    document_id: int
    kind: str
    object_id: int
    title: str


def _ranked(
    kinds: tuple[str, ...],
    terms: list[Term],
    *,
    limit: int,
    offset: int,
    within: Within,
    candidates: int = MAX_CANDIDATES,
) -> list[_Row]:
    restriction = _restriction(within, kinds)
    if not terms or restriction is None or limit <= 0:
        return []
    offset = max(offset, 0)
    return _backend().ranked(
        terms,
        kinds,
        restriction,
        limit=limit,
        offset=offset,
        candidates=_candidates(candidates, offset, limit),
    )


def _candidates(candidates: int, offset: int, limit: int) -> int:
    """How many matches to rank: as asked, within MAX_CANDIDATES, and at least the page."""
    return max(min(candidates, MAX_CANDIDATES), offset + limit)


def _kinds(kind: str | Sequence[str]) -> tuple[str, ...]:
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    for name in kinds:
        _check_kind(name)
    if not kinds:
        raise ValueError("Name at least one kind of document to search.")
    return kinds


def _check_kind(kind: str) -> None:
    if not KIND_PATTERN.match(kind):
        raise ValueError(
            f"{kind!r} is not a document kind: use lower-case letters, digits and _.- (at most 40)."
        )


@dataclass(frozen=True)
class _Restriction:
    """An SQL condition on ``object_id`` (empty: none) and its parameters."""

    sql: str = ""
    params: tuple[Any, ...] = ()


def _restriction(within: Within, kinds: tuple[str, ...]) -> _Restriction | None:
    """The ``within`` filter as SQL, or None when it allows nothing."""
    if within is None:
        return _Restriction()
    if len(kinds) != 1:
        raise ValueError("`within` names object ids of one kind; search one kind with it.")
    check_each = isinstance(within, CheckEach)
    if isinstance(within, CheckEach):
        within = within.queryset
    if isinstance(within, QuerySet):
        try:
            # Without its default ordering: the engine only asks whether an id is in it.
            sql, params = within.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return None
        return _backend().queryset_restriction(sql, tuple(params), check_each=check_each)
    ids = sorted({int(object_id) for object_id in within})
    if not ids:
        return None
    return _backend().ids_restriction(ids)


# --- Writes --------------------------------------------------------------------------------------


def search_index(
    kind: str, object_id: int, *, title: str, body: str = "", keywords: str = ""
) -> None:
    """Add or replace the document of one object."""
    search_index_many(
        kind, [Document(object_id=object_id, title=title, body=body, keywords=keywords)]
    )


def search_index_many(kind: str, documents: Iterable[Document]) -> int:
    """Add or replace many documents of one kind in a few statements; returns how many."""
    _check_kind(kind)
    backend = _backend()
    count = 0
    for batch in _batched(documents, WRITE_BATCH_SIZE):
        # One statement may not write a row twice (PostgreSQL refuses); the last version wins.
        rows = list({row.object_id: row for row in map(_clean_document, batch)}.values())
        with transaction.atomic():
            backend.upsert(kind, rows)
        count += len(rows)
    return count


def search_remove(kind: str, object_id: int) -> None:
    """Take an object out of the index (nothing happens if it is not there)."""
    search_remove_many(kind, [object_id])


def search_remove_many(kind: str, object_ids: Iterable[int]) -> int:
    _check_kind(kind)
    removed = 0
    for batch in _batched(sorted(set(object_ids)), DELETE_BATCH_SIZE):
        removed += SearchDocument.objects.filter(kind=kind, object_id__in=batch).delete()[0]
    return removed


def search_source(kind: str) -> Callable[[DocumentSource], DocumentSource]:
    """Register the function that yields every document of ``kind``, for ``search_rebuild``."""
    _check_kind(kind)

    def register(source: DocumentSource) -> DocumentSource:
        _sources[kind] = source
        return source

    return register


def search_kinds() -> list[str]:
    """Kinds with a registered source, after importing every app's ``search`` module."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("search")
    return sorted(_sources)


def search_rebuild(kind: str, *, batch_size: int = 1000) -> RebuildResult:
    """Re-index every document of ``kind`` from its source and drop the ones it no longer has.

    Each batch commits on its own, so search keeps working (and writers are not held up) while a
    large kind is rebuilt.
    """
    if kind not in search_kinds():
        raise ValueError(f"No search source is registered for {kind!r}.")
    source = _sources[kind]
    seen: set[int] = set()
    for batch in _batched(source(), batch_size):
        search_index_many(kind, batch)
        seen.update(document.object_id for document in batch)
    indexed = set(SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True))
    removed = search_remove_many(kind, indexed - seen)
    return RebuildResult(kind=kind, indexed=len(seen), removed=removed)


_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def markdown_text(source: str, *, code: bool = True) -> str:
    """The words of a Markdown text without its markup, for indexing and snippets.

    ``code=False`` leaves out code blocks and the "@" and "#" of inline code: what a reader
    sees as code mentions nobody and tags nothing (the community reads mentions from this)."""
    blocks: list[str] = []
    for token in _markdown.parse(source or ""):
        if token.type == "inline" and token.children:
            blocks.append("".join(_inline_text(child, code=code) for child in token.children))
        elif token.type in ("code_block", "fence") and code:
            blocks.append(token.content.strip())
    return "\n".join(block for block in blocks if block)


def _inline_text(token: Any, *, code: bool) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type == "code_inline" and not code:
        return token.content.replace("@", " ").replace("#", " ")
    return token.content if token.type in ("text", "code_inline") else ""


def _clean_document(document: Document) -> Document:
    return Document(
        object_id=int(document.object_id),
        title=_clean_text(document.title)[:MAX_TITLE_LENGTH],
        body=_clean_text(document.body)[:MAX_TEXT_LENGTH],
        keywords=_clean_text(document.keywords)[:MAX_TEXT_LENGTH],
    )


def _clean_text(text: str) -> str:
    # Lone surrogates cannot be stored as UTF-8; NUL cannot be stored by PostgreSQL.
    text = (text or "").encode("utf-8", "replace").decode("utf-8")
    return _UNSAFE_CHARACTERS.sub(" ", text)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- Engines -------------------------------------------------------------------------------------
# The SQL below is put together from constants and placeholders only; every value is a parameter.


def _kinds_sql(kinds: tuple[str, ...]) -> str:
    return "d.kind IN (" + ", ".join(["%s"] * len(kinds)) + ")"


_UPSERT_CONFLICT = (
    " ON CONFLICT (kind, object_id) DO UPDATE SET title = excluded.title, "
    "keywords = excluded.keywords, body = excluded.body, indexed_at = excluded.indexed_at"
)


def _indexed_at() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


class _Engine(ABC):
    """What both engines share: the match restricted by kind and ``within``, ranked or counted.

    A subclass says how to match (``match``, ``source``) and how to rank (``RANK``).
    """

    RANK: str
    SCORE_DIRECTION: str

    @abstractmethod
    def match(self, terms: list[Term]) -> str:
        """The engine's query for these terms, passed as one parameter."""

    @abstractmethod
    def source(self, kinds: tuple[str, ...]) -> str:
        """FROM and WHERE: documents of these kinds that match the query parameter."""

    @abstractmethod
    def upsert(self, kind: str, documents: list[Document]) -> None: ...

    @abstractmethod
    def highlights(self, terms: list[Term], document_ids: list[int]) -> dict[int, tuple[str, str]]:
        """Highlighted title and snippet HTML by document id."""

    @abstractmethod
    def ids_restriction(self, ids: list[int]) -> _Restriction: ...

    def queryset_restriction(
        self, sql: str, params: tuple[Any, ...], *, check_each: bool
    ) -> _Restriction:
        """``object_id`` among the primary keys the queryset's SQL selects (as ``pk``)."""
        return _Restriction(f"d.object_id IN ({sql})", params)

    def _where(
        self, terms: list[Term], kinds: tuple[str, ...], restriction: _Restriction
    ) -> tuple[str, list[Any]]:
        sql = self.source(kinds)
        params: list[Any] = [self.match(terms), *kinds]
        if restriction.sql:
            sql += f" AND {restriction.sql}"
            params += restriction.params
        return sql, params

    #: How the candidates are picked before they are ranked (SQL after the WHERE clause).
    CANDIDATE_ORDER = ""

    def _ranked_sql(
        self,
        columns: str,
        terms: list[Term],
        kinds: tuple[str, ...],
        restriction: _Restriction,
        candidates: int,
    ) -> tuple[str, list[Any]]:
        # Rank a bounded set of candidates: the engines compute the rank only for the rows the
        # inner query returns, and it stops after ``candidates`` of them.
        where, params = self._where(terms, kinds, restriction)
        return (
            f"SELECT {columns} FROM ("  # noqa: S608 - constants and placeholders
            f"SELECT d.id, d.kind, d.object_id, d.title, {self.RANK} AS score {where}"
            f"{self.CANDIDATE_ORDER} LIMIT %s) candidates "
            f"ORDER BY score{self.SCORE_DIRECTION}, kind, object_id LIMIT %s OFFSET %s"
        ), [*params, candidates]

    def ranked(
        self,
        terms: list[Term],
        kinds: tuple[str, ...],
        restriction: _Restriction,
        *,
        limit: int,
        offset: int,
        candidates: int = MAX_CANDIDATES,
    ) -> list[_Row]:
        sql, params = self._ranked_sql(
            "id, kind, object_id, title", terms, kinds, restriction, candidates
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [_Row._make(row) for row in cursor.fetchall()]

    def ranked_ids(
        self,
        terms: list[Term],
        kinds: tuple[str, ...],
        restriction: _Restriction,
        *,
        limit: int,
        candidates: int = MAX_CANDIDATES,
        sample: int | None = None,
    ) -> list[int]:
        """The object ids alone, best first: a search of 500 ids reads no titles. ``sample``:
        see ``search_ids`` (here: none; PostgreSQL uses it)."""
        sql, params = self._ranked_sql("object_id", terms, kinds, restriction, candidates)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, 0])
            return [row[0] for row in cursor.fetchall()]

    def object_highlights(
        self, kind: str, terms: list[Term], object_ids: list[int]
    ) -> dict[int, _Highlight]:
        """Title, highlighted title and snippet by object id, for the indexed ones among
        ``object_ids``: the documents are looked up first, then highlighted by document id."""
        documents = {
            document_id: (object_id, title)
            for document_id, object_id, title in SearchDocument.objects.filter(
                kind=kind, object_id__in=object_ids
            ).values_list("id", "object_id", "title")
        }
        if not documents:
            return {}
        highlights = self.highlights(terms, list(documents))
        found = {}
        for document_id, (object_id, title) in documents.items():
            title_marked, snippet_marked = highlights.get(document_id, (title, ""))
            found[object_id] = _Highlight(title, title_marked, snippet_marked)
        return found

    def count(
        self,
        terms: list[Term],
        kinds: tuple[str, ...],
        restriction: _Restriction,
        *,
        cap: int | None,
    ) -> int:
        where, params = self._where(terms, kinds, restriction)
        with connection.cursor() as cursor:
            if cap is None:
                cursor.execute(f"SELECT count(*) {where}", params)
            else:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 {where} LIMIT %s) matches",  # noqa: S608
                    [*params, cap],
                )
            return int(cursor.fetchone()[0])


class _SQLite(_Engine):
    """An FTS5 table with external content (migration 0003); triggers keep it in step."""

    # Column weights for bm25 in the FTS table's order: title, keywords, body.
    RANK = f"bm25({FTS_TABLE}, 5.0, 2.0, 1.0)"
    SCORE_DIRECTION = ""  # bm25 is smaller for better matches
    # FTS5 gives its matches newest first (by rowid) without sorting them: the candidates are
    # the newest matching documents.
    CANDIDATE_ORDER = f" ORDER BY {FTS_TABLE}.rowid DESC"

    def match(self, terms: list[Term]) -> str:
        return " AND ".join(
            '"' + term.text.replace('"', '""') + '"' + ("*" if term.is_prefix else "")
            for term in terms
        )

    def upsert(self, kind: str, documents: list[Document]) -> None:
        indexed_at = _indexed_at()
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(documents))
        params: list[Any] = []
        for document in documents:
            params += [
                kind,
                document.object_id,
                document.title,
                document.keywords,
                document.body,
                indexed_at,
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_searchdocument (kind, object_id, title, keywords, body, "  # noqa: S608
                f"indexed_at) VALUES {values}{_UPSERT_CONFLICT}",
                params,
            )

    def source(self, kinds: tuple[str, ...]) -> str:
        # CROSS JOIN makes SQLite run the full-text match once and look documents up by id;
        # with a plain JOIN it may scan documents by kind and run the match for every one.
        return (
            f"FROM {FTS_TABLE} CROSS JOIN core_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {_kinds_sql(kinds)}"
        )

    def highlights(self, terms: list[Term], document_ids: list[int]) -> dict[int, tuple[str, str]]:
        # Highlighting is a second, small query so that it runs for this page only. FTS5 looks
        # each id of "rowid IN (...)" up on its own, and for a prefix ("patient*") every lookup
        # merges the word's whole posting list again (10 ms each at 100,000 documents); "+rowid"
        # keeps the list from the index, so FTS5 reads the list once, between the lowest and the
        # highest id, and the snippets are made for the page's rows only.
        placeholders = ", ".join(["%s"] * len(document_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "  # noqa: S608
                f"snippet({FTS_TABLE}, 2, %s, %s, %s, %s) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s "
                f"AND +rowid IN ({placeholders})",
                [
                    HIGHLIGHT_START,
                    HIGHLIGHT_END,
                    HIGHLIGHT_START,
                    HIGHLIGHT_END,
                    "…",
                    SNIPPET_WORDS,
                    self.match(terms),
                    min(document_ids),
                    max(document_ids),
                    *document_ids,
                ],
            )
            return {row[0]: (row[1] or "", row[2] or "") for row in cursor.fetchall()}

    def ids_restriction(self, ids: list[int]) -> _Restriction:
        # One JSON parameter instead of one per id: SQLite limits the number of parameters.
        return _Restriction("d.object_id IN (SELECT value FROM json_each(%s))", (json.dumps(ids),))

    def queryset_restriction(
        self, sql: str, params: tuple[Any, ...], *, check_each: bool
    ) -> _Restriction:
        # SQLite runs "IN (subquery)" by building the whole list first (every resource a person
        # may open: 200 ms at 100,000), once per statement; correlated, each candidate costs one
        # primary-key lookup (1 to 25 ms). docs/search.md has the plans.
        return _Restriction(
            f"EXISTS (SELECT 1 FROM ({sql}) within_ids "  # noqa: S608 - a queryset's own SQL
            "WHERE within_ids.pk = d.object_id)",
            params,
        )


def words_for_postgres(text: str) -> list[str]:
    """Lower-case, accent-free words, split as FTS5's unicode61 tokenizer splits them."""
    if text.isascii():  # nothing to decompose
        return _WORD.findall(text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(unicodedata.normalize("NFC", without_marks).lower())


def _postgres_text(terms: list[Term]) -> str:
    return " ".join(word for term in terms for word in words_for_postgres(term.text))


def _words_from(text: str, first: int) -> Iterator[tuple[int, int, int, str]]:
    """The words of ``text`` from word number ``first`` on, as PostgreSQL's index counts them
    (``words_for_postgres``): number, where the word is in the text, its indexed form. A piece
    of text that normalizes to several words ("ﬁ" ligatures and the like) gives each of them
    the same place."""
    matches = _WORD.finditer(text)
    if text.isascii():  # one word per match: the words before the passage are skipped in C
        deque(islice(matches, first - 1), maxlen=0)
        for number, match in enumerate(matches, start=first):
            yield number, match.start(), match.end(), match.group().lower()
        return
    number = 0
    for match in matches:
        for word in words_for_postgres(match.group()):
            number += 1
            if number >= first:
                yield number, match.start(), match.end(), word


def snippet_at_positions(
    title: str, keywords: str, body: str, matched: Sequence[str]
) -> str | None:
    """The body's passage of ``SNIPPET_WORDS`` words with the most matches, the matching words
    marked, "…" where the text goes on; None when the words of the text do not line up with
    the positions (the caller falls back to ``ts_headline``).

    ``matched`` holds "position lexeme" for every matching word of the document's vector. The
    vector is title (A) || keywords (B) || body (C), one position per word, so body word ``n``
    is at ``n`` + the number of words of the title and the keywords. Written by hand: no
    library cuts a passage from positions PostgreSQL already holds."""
    offset = len(words_for_postgres(title)) + len(words_for_postgres(keywords))
    lexemes: dict[int, str] = {}
    for entry in matched:
        position, lexeme = entry.split(" ", 1)
        if int(position) > offset:
            lexemes[int(position) - offset] = lexeme
    start = _passage_start(sorted(lexemes))
    passage = _cut_passage(body, start, lexemes)
    if passage is not None and passage[1] < SNIPPET_WORDS and start > 1:
        # The text ends before the passage is full: begin earlier instead.
        start = max(1, start - (SNIPPET_WORDS - passage[1]))
        passage = _cut_passage(body, start, lexemes)
    return None if passage is None else passage[0]


def _passage_start(positions: list[int]) -> int:
    """The first word of the window of SNIPPET_WORDS words with the most matches (the earliest
    such window), a few words before its first match."""
    if not positions:
        return 1
    best, most, last = 0, 0, 0
    for first, position in enumerate(positions):
        while last < len(positions) and positions[last] < position + SNIPPET_WORDS:
            last += 1
        if last - first > most:
            best, most = first, last - first
    return max(1, positions[best] - SNIPPET_WORDS // 8)


def _cut_passage(body: str, start: int, lexemes: dict[int, str]) -> tuple[str, int] | None:
    """SNIPPET_WORDS words of ``body`` from word ``start``, those in ``lexemes`` marked, and how
    many words it holds; None when a marked word does not begin as its stemmed form does."""
    end = start + SNIPPET_WORDS - 1
    parts: list[str] = []
    begun = cursor = 0 if start == 1 else -1
    words = 0
    more = False
    for number, begin, finish, word in _words_from(body, start):
        if number > end:
            more = True
            break
        if number in lexemes:
            if not word.startswith(lexemes[number][:3]):
                return None  # the text and the index disagree about this word
            if begun < 0:
                begun = cursor = begin
            if begin >= cursor:
                parts += [body[cursor:begin], HIGHLIGHT_START, body[begin:finish], HIGHLIGHT_END]
                cursor = finish
        elif begun < 0:
            begun = cursor = begin
        words += 1
        last = finish
    if words == 0:
        return ("", 0) if not any(number >= start for number in lexemes) else None
    parts.append(body[cursor:last] if more else body[cursor:].rstrip())
    text = "".join(parts).lstrip()
    return ("…" if start > 1 else "") + text + ("…" if more else ""), words


class _PostgreSQL(_Engine):
    """A ``search_vector`` tsvector column with a GIN index (migration 0003), written here."""

    VECTOR = (
        f"setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'A') || "
        f"setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'B') || "
        f"setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'C')"
    )
    QUERY = f"to_tsquery('{POSTGRES_CONFIGURATION}', %s)"
    # Normalization 1 divides by the log of the document's length, as bm25 favours short ones.
    RANK = "ts_rank(d.search_vector, q.query, 1)"
    SCORE_DIRECTION = " DESC"
    HEADLINE = (
        f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", '
        # One passage around the best cover, as FTS5's snippet(); two cost twice the time
        # (8 ms against 4.5 for a page of 20 three-kilobyte texts).
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, MaxFragments=1"
    )
    TITLE_HEADLINE = f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", HighlightAll=true'

    def match(self, terms: list[Term]) -> str:
        # Words are letters and digits only, so quoting them cannot break the tsquery syntax.
        parts = []
        for term in terms:
            words = words_for_postgres(term.text) or [term.text.lower()]
            lexemes = [f"'{word}'" for word in words]
            if term.is_prefix:
                lexemes[-1] += ":*"
            parts.append("(" + " <-> ".join(lexemes) + ")")
        return " & ".join(parts)

    def upsert(self, kind: str, documents: list[Document]) -> None:
        indexed_at = _indexed_at()
        values = ", ".join([f"(%s, %s, %s, %s, %s, %s, {self.VECTOR})"] * len(documents))
        params: list[Any] = []
        for document in documents:
            params += [
                kind,
                document.object_id,
                document.title,
                document.keywords,
                document.body,
                indexed_at,
                *(
                    " ".join(words_for_postgres(text))
                    for text in (document.title, document.keywords, document.body)
                ),
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_searchdocument (kind, object_id, title, keywords, body, "  # noqa: S608
                f"indexed_at, search_vector) VALUES {values}{_UPSERT_CONFLICT}, "
                "search_vector = excluded.search_vector",
                params,
            )

    def source(self, kinds: tuple[str, ...]) -> str:
        return (
            f"FROM core_searchdocument d CROSS JOIN (SELECT {self.QUERY} AS query) q "
            f"WHERE d.search_vector @@ q.query AND {_kinds_sql(kinds)}"
        )

    # The words of the query as the index holds them (stemmed), and the positions in a document
    # where they are: "12 patient" for the twelfth word.
    _MATCHED_POSITIONS = (
        "ARRAY(SELECT p || ' ' || t.lexeme FROM unnest(d.search_vector) t, unnest(t.positions) p "
        "WHERE t.lexeme = ANY(w.exact) OR t.lexeme LIKE ANY(w.prefixes))"
    )
    _QUERY_LEXEMES = (
        f"(SELECT tsvector_to_array(to_tsvector('{POSTGRES_CONFIGURATION}', %s)) AS exact, "  # noqa: S608
        "ARRAY(SELECT lexeme || '%%' FROM unnest(tsvector_to_array("
        f"to_tsvector('{POSTGRES_CONFIGURATION}', %s))) lexeme) AS prefixes) w"
    )

    def _highlighted(
        self, terms: list[Term], where: str, params: list[Any]
    ) -> dict[int, tuple[int, _Highlight]]:
        """Object id and highlight by document id.

        ``ts_headline`` would parse each whole body again (10 ms for a page of twenty
        three-kilobyte texts); the snippet is cut here instead, around the positions of the
        matching words that the index already holds (``snippet_at_positions``). A document
        whose words do not line up with its positions gets ``ts_headline``'s snippet."""
        exact = [t for t in terms if not t.is_prefix]
        prefixes = [t for t in terms if t.is_prefix]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id, d.object_id, d.title, d.keywords, d.body, "  # noqa: S608
                f"ts_headline('{POSTGRES_CONFIGURATION}', d.title, q.query, %s), "
                f"{self._MATCHED_POSITIONS} "
                f"FROM core_searchdocument d CROSS JOIN (SELECT {self.QUERY} AS query) q "
                f"CROSS JOIN {self._QUERY_LEXEMES} WHERE {where}",
                [
                    self.TITLE_HEADLINE,
                    self.match(terms),
                    _postgres_text(exact),
                    _postgres_text(prefixes),
                    *params,
                ],
            )
            rows = cursor.fetchall()
        found: dict[int, tuple[int, _Highlight]] = {}
        unaligned: list[int] = []
        for document_id, object_id, title, keywords, body, title_marked, matched in rows:
            snippet = snippet_at_positions(title, keywords, body, matched)
            if snippet is None:
                unaligned.append(document_id)
                snippet = ""
            found[document_id] = (object_id, _Highlight(title, title_marked or "", snippet))
        if unaligned:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT d.id, ts_headline('{POSTGRES_CONFIGURATION}', d.body, q.query, %s) "  # noqa: S608
                    f"FROM core_searchdocument d CROSS JOIN (SELECT {self.QUERY} AS query) q "
                    "WHERE d.id = ANY(%s::bigint[])",
                    [self.HEADLINE, self.match(terms), unaligned],
                )
                for document_id, snippet in cursor.fetchall():
                    object_id, highlight = found[document_id]
                    found[document_id] = (
                        object_id,
                        highlight._replace(snippet_marked=snippet or ""),
                    )
        return found

    def highlights(self, terms: list[Term], document_ids: list[int]) -> dict[int, tuple[str, str]]:
        found = self._highlighted(terms, "d.id = ANY(%s::bigint[])", [document_ids])
        return {
            document_id: (highlight.title_marked, highlight.snippet_marked)
            for document_id, (_, highlight) in found.items()
        }

    def object_highlights(
        self, kind: str, terms: list[Term], object_ids: list[int]
    ) -> dict[int, _Highlight]:
        # One statement: the documents are found by (kind, object_id) and highlighted at once.
        found = self._highlighted(
            terms, "d.kind = %s AND d.object_id = ANY(%s::bigint[])", [kind, object_ids]
        )
        return dict(found.values())

    def ids_restriction(self, ids: list[int]) -> _Restriction:
        return _Restriction("d.object_id = ANY(%s::bigint[])", (ids,))

    def ranked_ids(
        self,
        terms: list[Term],
        kinds: tuple[str, ...],
        restriction: _Restriction,
        *,
        limit: int,
        candidates: int = MAX_CANDIDATES,
        sample: int | None = None,
    ) -> list[int]:
        if sample is not None:
            # The sample's condition is written out (an int checked by search_ids), so that the
            # planner matches it to the partial index over the sample.
            sampled = _Restriction(
                " AND ".join(filter(None, [restriction.sql, f"d.object_id %% {int(sample)} = 0"])),
                restriction.params,
            )
            ids = super().ranked_ids(terms, kinds, sampled, limit=candidates, candidates=candidates)
            if len(ids) >= candidates:  # enough in the sample
                return ids[:limit]
        return super().ranked_ids(terms, kinds, restriction, limit=limit, candidates=candidates)

    def queryset_restriction(
        self, sql: str, params: tuple[Any, ...], *, check_each: bool
    ) -> _Restriction:
        if not check_each:
            # A semi-join: right when the set is cheap to build or its estimate is good (the
            # community's readable posts: 70 ms median per search, against 170 checked each).
            return super().queryset_restriction(sql, params, check_each=False)
        # As a semi-join PostgreSQL may build the whole set first (a library reader's 10,000
        # openable chapters: 94 ms) before it meets the few hundred candidates; "OFFSET 0"
        # keeps the subquery from being pulled up, so each candidate is checked through the
        # primary keys instead (4 ms). docs/search.md has the plans.
        return _Restriction(
            f"EXISTS (SELECT 1 FROM ({sql}) within_ids "  # noqa: S608 - a queryset's own SQL
            "WHERE within_ids.pk = d.object_id OFFSET 0)",
            params,
        )


_BACKENDS: dict[str, _Engine] = {"sqlite": _SQLite(), "postgresql": _PostgreSQL()}


def _backend() -> _Engine:
    backend = _BACKENDS.get(connection.vendor)
    if backend is None:
        raise ImproperlyConfigured(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        )
    return backend
