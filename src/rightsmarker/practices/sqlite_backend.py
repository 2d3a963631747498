"""The SQLite FTS5 search backend (registered as ``"sqlite"``).

Tables: ``practice`` (one row per practice, the record as JSON plus the filter columns),
``practice_code`` (theme and group codes; a theme, sub-theme or indicator code is stored with
every prefix, so ``SPA`` finds a practice tagged ``SPA.1.P1``) and ``practice_fts`` (FTS5 over
the title and the rest of the text, prepared by :func:`.search.index_text`). Ranking is FTS5's
BM25 with the title weighted four times the body.

The file records the version of what it indexes (``PRAGMA user_version``, :data:`INDEX_VERSION`):
a file written by an older version (the body without the tags' labels, version 0 or 1) is
indexed again from the records it holds when it is opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from .model import Practice
from .search import (
    Filters,
    Hit,
    document_text,
    index_text,
    query_terms,
    search_backends,
    similarity_terms,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS practice (
    rid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, city TEXT, region TEXT,
    start INTEGER, stop INTEGER, status TEXT, title TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS practice_city ON practice(city);
CREATE INDEX IF NOT EXISTS practice_region ON practice(region);
CREATE TABLE IF NOT EXISTS practice_code (rid INTEGER NOT NULL, kind TEXT NOT NULL,
    code TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS practice_code_kc ON practice_code(kind, code, rid);
CREATE INDEX IF NOT EXISTS practice_code_rid ON practice_code(rid);
CREATE VIRTUAL TABLE IF NOT EXISTS practice_fts USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS practice_vocab USING fts5vocab(practice_fts, 'row');
"""
#: what the index holds: 2 = the body ends with the labels of the practice's tags
INDEX_VERSION = 2
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
SIMILAR_TERMS = 16


def code_rows(p: Practice) -> list[tuple[str, str]]:
    rows = set()
    for code in (*p.themes, *p.sub_themes, *p.indicators):
        parts = code.split(".")
        rows.update(("theme", ".".join(parts[: i + 1])) for i in range(len(parts)))
    rows.update(("group", g) for g in p.groups)
    return sorted(rows)


def filter_sql(f: Filters) -> tuple[str, list]:
    """SQL conditions on ``p`` (the practice table) for the filters, and their parameters."""
    clauses, params = [], []
    for column, values in (("city", f.cities), ("region", f.regions), ("status", f.status)):
        if values:
            clauses.append(f"p.{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    for kind, codes in (("theme", f.themes), ("group", f.groups)):
        if codes:
            clauses.append(
                "EXISTS (SELECT 1 FROM practice_code c WHERE c.rid = p.rid AND c.kind = ? "
                f"AND c.code IN ({','.join('?' * len(codes))}))")
            params.extend([kind, *codes])
    if f.year is not None:
        clauses.append("p.start <= ? AND (p.stop IS NULL OR p.stop >= ?)")
        params.extend([f.year, f.year])
    return (" AND ".join(clauses) or "1"), params


class SqliteBackend:
    """Practices in one SQLite file (or in memory) with an FTS5 index."""

    def __init__(self, path: str = ":memory:", *, check_same_thread: bool = True):
        self.db = sqlite3.connect(str(path), check_same_thread=check_same_thread)
        self.db.executescript(SCHEMA)
        if self.db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            self._reindex()

    def _reindex(self) -> None:
        """Index the stored records again (their text as this version indexes it)."""
        self.add(list(self.all()))
        self.db.execute(f"PRAGMA user_version = {INDEX_VERSION}")

    def add(self, practices: Iterable[Practice]) -> int:
        n = 0
        with self.db:
            for p in practices:
                self._remove_one(p.id)
                period = p.period
                cur = self.db.execute(
                    "INSERT INTO practice (id, city, region, start, stop, status, title, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (p.id, p.city, p.region, period.start if period else None,
                     period.end if period else None, p.status, p.label(), p.model_dump_json()))
                rid = cur.lastrowid
                self.db.executemany("INSERT INTO practice_code VALUES (?, ?, ?)",
                                    [(rid, kind, code) for kind, code in code_rows(p)])
                title, body = document_text(p)
                self.db.execute("INSERT INTO practice_fts (rowid, title, body) VALUES (?, ?, ?)",
                                (rid, index_text(title), index_text(body)))
                n += 1
        return n

    def _remove_one(self, practice_id: str) -> int:
        row = self.db.execute("SELECT rid FROM practice WHERE id = ?", (practice_id,)).fetchone()
        if row is None:
            return 0
        for table, key in (("practice_fts", "rowid"), ("practice_code", "rid"),
                           ("practice", "rid")):
            self.db.execute(f"DELETE FROM {table} WHERE {key} = ?", row)
        return 1

    def remove(self, ids: Iterable[str]) -> int:
        with self.db:
            return sum(self._remove_one(i) for i in ids)

    def get(self, practice_id: str) -> Practice | None:
        row = self.db.execute("SELECT data FROM practice WHERE id = ?", (practice_id,)).fetchone()
        return Practice.model_validate_json(row[0]) if row else None

    def all(self) -> Iterator[Practice]:
        for (data,) in self.db.execute("SELECT data FROM practice ORDER BY id"):
            yield Practice.model_validate_json(data)

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM practice").fetchone()[0]

    def search(self, query: str, filters: Filters, limit: int, offset: int) -> list[Hit]:
        return self._hits(self._ranked(query, filters, limit, offset, key="rid"))

    def rank(self, query: str, filters: Filters, limit: int, offset: int
             ) -> list[tuple[str, float]]:
        """(id, score) of the results, best first, without reading the records."""
        return self._ranked(query, filters, limit, offset, key="id")

    def _ranked(self, query: str, filters: Filters, limit: int, offset: int, key: str) -> list:
        terms = query_terms(query)
        where, params = filter_sql(filters)
        if not terms:
            sql = (f"SELECT p.{key}, 0.0 FROM practice p WHERE {where} "
                   "ORDER BY p.title, p.id LIMIT ? OFFSET ?")
            return self.db.execute(sql, [*params, limit, offset]).fetchall()
        return self._match(" ".join(terms), where, params, limit, offset, key=key)

    def _match(self, match: str, where: str, params: list, limit: int, offset: int,
               exclude: str | None = None, key: str = "rid") -> list[tuple[int, float]]:
        """(rid, score) (or (id, score)) of the best matches; ranked before records are read."""
        extra = " AND p.id != ?" if exclude is not None else ""
        sql = ("WITH m AS MATERIALIZED (SELECT rowid AS rid, "
               f"-bm25(practice_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
               "FROM practice_fts WHERE practice_fts MATCH ?) "
               f"SELECT p.{key}, m.score FROM m JOIN practice p ON p.rid = m.rid "
               f"WHERE {where}{extra} ORDER BY m.score DESC, p.id LIMIT ? OFFSET ?")
        args = [match, *params, *([exclude] if exclude is not None else []), limit, offset]
        return self.db.execute(sql, args).fetchall()

    def _hits(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        if not ranked:
            return []
        rids = [r for r, _ in ranked]
        rows = self.db.execute(
            f"SELECT rid, id, data FROM practice WHERE rid IN ({','.join('?' * len(rids))})",
            rids).fetchall()
        by_rid = {rid: (pid, data) for rid, pid, data in rows}
        return [Hit(by_rid[r][0], score, Practice.model_validate_json(by_rid[r][1]))
                for r, score in ranked]

    def similar(self, practice_id: str, filters: Filters, limit: int) -> list[Hit]:
        practice = self.get(practice_id)
        if practice is None:
            from ..errors import UnknownNameError

            raise UnknownNameError("practice", practice_id, [])
        terms = self._distinctive(similarity_terms(practice.text(), limit=60))
        if not terms:
            return []
        where, params = filter_sql(filters)
        ranked = self._match(" OR ".join(f'"{t}"' for t in terms), where, params, limit * 4, 0,
                             exclude=practice_id)
        mine = set(code_rows(practice))
        hits = []
        for hit in self._hits(ranked):
            theirs = set(code_rows(hit.practice))
            shared = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
            hits.append(Hit(hit.id, hit.score * (1.0 + shared), hit.practice))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]

    def _distinctive(self, words: list[str], keep: int = SIMILAR_TERMS) -> list[str]:
        """The rarest words: those in more than 10% of the practices are dropped when the index
        knows them (words the Porter stemmer changes are not found and count as rare-ish)."""
        total = max(self.count(), 1)
        known = dict(self.db.execute(
            f"SELECT term, doc FROM practice_vocab WHERE term IN ({','.join('?' * len(words))})",
            words).fetchall()) if words else {}
        common = max(0.1 * total, 5)
        kept = [w for w in words if known.get(w, 0) <= common]
        kept.sort(key=lambda w: known.get(w, 0.05 * total))
        return kept[:keep]

    def close(self) -> None:
        self.db.close()


search_backends.register("sqlite", SqliteBackend)
