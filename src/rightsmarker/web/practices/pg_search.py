"""The PostgreSQL full-text search backend (registered as ``"postgresql"``).

Same contract as the library's SQLite FTS5 backend (:class:`rightsmarker.practices.search.
SearchBackend`): every word of a query required, the same filters, hits best first with a score
(higher is better), an empty query listing by title. The practices live in
:class:`~.models.SearchEntry` / :class:`~.models.SearchCode`; the ``document`` tsvector is a
column PostgreSQL generates (migration 0002) with a GIN index:

* Latin-script text through the ``english`` configuration (Snowball stemmer: ``houses`` finds
  ``housing``);
* Korean through the ``simple`` configuration over the same syllable bigrams the SQLite backend
  indexes (PostgreSQL has no Korean stemmer): a query word loses a trailing particle and becomes
  the phrase of its bigrams (``인권을`` -> ``'인권'``;
  ``교육과정을`` -> ``'교육' <-> '육과' <-> '과정'``);
* accents folded on both sides, as SQLite's ``unicode61 remove_diacritics`` does (``Bogota``
  finds ``Bogotá``, ``Sao Paulo`` finds ``São Paulo``): in Python, before the text is stored and
  before a query word is sent, so no PostgreSQL extension (``unaccent``) is needed;
* the title has weight A, the body weight D; the rank is ``ts_rank`` with weights
  ``{D 0.25, C 0.25, B 0.25, A 1.0}``: the title counts four times the body, as in SQLite.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from rightsmarker.practices.model import Practice
from rightsmarker.practices.search import (
    _HANGUL_RUN,
    _WORD,
    Filters,
    Hit,
    document_text,
    hangul_bigrams,
    search_backends,
    similarity_terms,
    strip_particle,
)
from rightsmarker.practices.sqlite_backend import code_rows

from .models import SearchCode, SearchEntry

ENTRY, CODE = SearchEntry._meta.db_table, SearchCode._meta.db_table
WEIGHTS = "'{0.25,0.25,0.25,1.0}'"
SIMILAR_TERMS = 16


def fold_accents(text: str) -> str:
    """``text`` without combining marks (``São`` -> ``Sao``); for text without Hangul only
    (decomposing would split Hangul syllables into letters)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


def split_text(text: str) -> tuple[str, str]:
    """(the text without Hangul, accents folded; the Hangul runs as bigrams) of a document."""
    korean = " ".join(b for run in _HANGUL_RUN.findall(text) for b in hangul_bigrams(run))
    return fold_accents(_HANGUL_RUN.sub(" ", text)), korean


def word_query(word: str) -> tuple[str, str] | None:
    """The tsquery SQL of one query word and its parameter (``word*`` is a prefix)."""
    prefix = word.endswith("*")
    word = word.rstrip("*")
    if not word:
        return None
    if _HANGUL_RUN.fullmatch(word):
        return "phraseto_tsquery('simple', %s)", " ".join(hangul_bigrams(strip_particle(word)))
    word = fold_accents(word)
    if prefix:
        return "to_tsquery('english', %s)", f"{word}:*"
    return "plainto_tsquery('english', %s)", word


def tsquery(query: str) -> tuple[str, list]:
    """The SQL of the tsquery requiring every word of ``query`` (``""`` when it has none)."""
    parts = [q for q in map(word_query, _WORD.findall(query)) if q]
    return " && ".join(sql for sql, _ in parts), [param for _, param in parts]


def filter_sql(f: Filters) -> tuple[str, list]:
    """SQL conditions on ``e`` (the entry table) for the filters, and their parameters."""
    clauses, params = [], []
    for column, values in (("city", f.cities), ("region", f.regions), ("status", f.status)):
        if values:
            clauses.append(f"e.{column} = ANY(%s)")
            params.append(list(values))
    for kind, codes in (("theme", f.themes), ("group", f.groups)):
        if codes:
            clauses.append(f"EXISTS (SELECT 1 FROM {CODE} c WHERE c.entry_id = e.id "
                           "AND c.kind = %s AND c.code = ANY(%s))")
            params.extend([kind, list(codes)])
    if f.year is not None:
        clauses.append("e.start <= %s AND (e.stop IS NULL OR e.stop >= %s)")
        params.extend([f.year, f.year])
    return (" AND ".join(clauses) or "TRUE"), params


def entry_of(p: Practice) -> SearchEntry:
    """The unsaved entry of a practice (the database computes its ``document``)."""
    title, body = document_text(p)
    (english_title, korean_title), (english, korean) = split_text(title), split_text(body)
    period = p.period
    return SearchEntry(code=p.id, city=p.city, region=p.region, status=p.status, title=p.label(),
                       start=period.start if period else None,
                       stop=period.end if period else None, data=p.model_dump(mode="json"),
                       english_title=english_title, korean_title=korean_title, english=english,
                       korean=korean)


class PostgresBackend:
    """Practices in the web application's PostgreSQL database, searched with its full text."""

    def __init__(self, path: str = "", **options):
        pass  # the store is the Django database connection

    def add(self, practices: Iterable[Practice]) -> int:
        practices = list({p.id: p for p in practices}.values())
        with transaction.atomic():
            SearchEntry.objects.filter(code__in=[p.id for p in practices]).delete()
            entries = SearchEntry.objects.bulk_create([entry_of(p) for p in practices],
                                                      batch_size=1000)
            SearchCode.objects.bulk_create(
                (SearchCode(entry=entry, kind=kind, code=code)
                 for entry, p in zip(entries, practices, strict=True)
                 for kind, code in code_rows(p)), batch_size=5000)
        return len(practices)

    def remove(self, ids: Iterable[str]) -> int:
        return SearchEntry.objects.filter(code__in=list(ids)).delete()[1].get(
            SearchEntry._meta.label, 0)

    def get(self, practice_id: str) -> Practice | None:
        data = SearchEntry.objects.filter(code=practice_id).values_list("data", flat=True).first()
        return Practice.model_validate(data) if data is not None else None

    def all(self) -> Iterator[Practice]:
        for data in SearchEntry.objects.order_by("code").values_list("data", flat=True):
            yield Practice.model_validate(data)

    def count(self) -> int:
        return SearchEntry.objects.count()

    def search(self, query: str, filters: Filters, limit: int, offset: int) -> list[Hit]:
        ranked = self.rank(query, filters, limit, offset)
        data = dict(SearchEntry.objects.filter(code__in=[c for c, _ in ranked])
                    .values_list("code", "data"))
        return [Hit(code, score, Practice.model_validate(data[code])) for code, score in ranked]

    def rank(self, query: str, filters: Filters, limit: int, offset: int
             ) -> list[tuple[str, float]]:
        """(id, score) of the results, best first, without reading the records."""
        match, match_params = tsquery(query)
        where, params = filter_sql(filters)
        if not match:
            sql = (f"SELECT e.code, 0.0 FROM {ENTRY} e WHERE {where} "
                   "ORDER BY e.title, e.code LIMIT %s OFFSET %s")
            args = [*params, limit, offset]
        else:
            # A query of English stop words only ("the") has no lexemes: it lists by title,
            # as an empty query does, instead of finding nothing.
            sql = (f"WITH q AS (SELECT {match} AS query) "
                   f"SELECT e.code, ts_rank({WEIGHTS}, e.document, q.query) AS score "
                   f"FROM {ENTRY} e, q WHERE (numnode(q.query) = 0 OR e.document @@ q.query) "
                   f"AND {where} ORDER BY score DESC, e.title, e.code LIMIT %s OFFSET %s")
            args = [*match_params, *params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [(code, float(score)) for code, score in cursor.fetchall()]

    def _hits(self, sql: str, params: list) -> list[Hit]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Hit(code, float(score), Practice.model_validate(
            data if isinstance(data, dict) else json.loads(data)))
            for code, score, data in rows]

    def similar(self, practice_id: str, filters: Filters, limit: int) -> list[Hit]:
        """Practices sharing the practice's rarest words, each weighted by ln(N / its document
        frequency); then, as in SQLite, the score times (1 + the Jaccard share of codes)."""
        practice = self.get(practice_id)
        if practice is None:
            from rightsmarker.errors import UnknownNameError

            raise UnknownNameError("practice", practice_id, [])
        weighted = self._distinctive(similarity_terms(practice.text(), limit=60))
        if not weighted:
            return []
        where, params = filter_sql(filters)
        score = " + ".join(f"(e.document @@ {sql})::int * %s" for sql, _p, _w in weighted)
        any_of = " || ".join(sql for sql, _p, _w in weighted)
        score_params = [x for _s, p, w in weighted for x in (p, w)]
        sql = (f"SELECT e.code, {score} AS score, e.data FROM {ENTRY} e "
               f"WHERE e.document @@ ({any_of}) AND e.code <> %s AND {where} "
               "ORDER BY score DESC, e.code LIMIT %s")
        hits = self._hits(sql, [*score_params, *[p for _s, p, _w in weighted], practice_id,
                                *params, limit * 4])
        mine = set(code_rows(practice))
        scored = []
        for hit in hits:
            theirs = set(code_rows(hit.practice))
            shared = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
            scored.append(Hit(hit.id, hit.score * (1.0 + shared), hit.practice))
        scored.sort(key=lambda h: (-h.score, h.id))
        return scored[:limit]

    def _distinctive(self, words: list[str]) -> list[tuple[str, str, float]]:
        """(tsquery SQL, parameter, ln(N / df)) of the rarest words: a word in more than 10% of
        the practices (at least 5) is dropped; one GIN count per word, in one statement."""
        queries = [q for q in (word_query(w) for w in words[:40]) if q]
        if not queries:
            return []
        counts = ", ".join(f"(SELECT count(*) FROM {ENTRY} WHERE document @@ {sql})"
                           for sql, _ in queries)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT (SELECT count(*) FROM {ENTRY}), {counts}",
                           [p for _, p in queries])
            total, *dfs = cursor.fetchone()
        common = max(0.1 * total, 5)
        kept = sorted((df, i) for i, df in enumerate(dfs) if 0 < df <= common)
        return [(queries[i][0], queries[i][1], math.log((total + 1) / df))
                for df, i in kept[:SIMILAR_TERMS]]

    def close(self) -> None:
        pass


search_backends.register("postgresql", PostgresBackend)
