"""Full-text search over practices, with filters and "similar practices".

:class:`PracticeIndex` is what callers use; the work is done by a backend chosen by name from
:data:`search_backends` (``"sqlite"``, SQLite FTS5, built in; the web application can register a
PostgreSQL full-text backend under another name with the same methods, see
:class:`SearchBackend`).

Text is prepared the same way for documents and queries (:func:`index_text`, :func:`query_terms`):

* English and other Latin-script words: FTS5's ``unicode61`` tokenizer with the Porter stemmer
  (``housing`` finds ``houses``), accents folded;
* Korean: every run of Hangul syllables is indexed as its overlapping two-syllable pieces
  (bigrams: 인권을 -> 인권 권을), the usual way of indexing CJK text without a dictionary. A query
  word loses a trailing particle (을 를 이 가 은 는 의 에 에서 으로 ...) when two or more syllables
  remain and becomes the phrase of its bigrams, so 인권 finds 인권을, 인권의 and 인권교육.
  FTS5's trigram tokenizer was not used: it cannot match two-syllable words, which most Korean
  nouns are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from ..registry import Registry
from .model import Practice

search_backends = Registry("search backend")

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_WORD = re.compile(r"[\w\uac00-\ud7a3]+(?:\*)?", re.UNICODE)
PARTICLES = sorted(
    "에서는 으로서 으로써 에게서 이라는 에서 에게 으로 까지 부터 처럼 보다 하고 이나 이며 에는 "
    "과 와 을 를 이 가 은 는 의 에 로 도 만".split(), key=len, reverse=True)
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the their this to "
    "was were which with will each every all our".split())


@dataclass
class Filters:
    """Search filters; every one given must hold. ``SPA`` also takes ``SPA.1`` and ``SPA.1.P1``."""

    themes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    year: int | None = None
    status: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.themes or self.groups or self.cities or self.regions or self.status
                    or self.year is not None)


@dataclass
class Hit:
    """One search result: the practice's id, a score (higher is better) and the practice."""

    id: str
    score: float
    practice: Practice

    def to_dict(self) -> dict:
        p = self.practice
        return {"id": self.id, "score": round(self.score, 4), "city": p.city,
                "title": p.title, "themes": p.themes, "groups": p.groups}


class SearchBackend(Protocol):
    """What a search backend provides (SQLite FTS5 here; PostgreSQL full-text search in the web
    app, ``rightsmarker.web.practices.pg_search``)."""

    def add(self, practices: Iterable[Practice]) -> int: ...

    def remove(self, ids: Iterable[str]) -> int: ...

    def get(self, practice_id: str) -> Practice | None: ...

    def all(self) -> Iterator[Practice]: ...

    def count(self) -> int: ...

    def search(self, query: str, filters: Filters, limit: int, offset: int) -> list[Hit]: ...

    def rank(self, query: str, filters: Filters, limit: int,
             offset: int) -> list[tuple[str, float]]: ...

    def similar(self, practice_id: str, filters: Filters, limit: int) -> list[Hit]: ...

    def close(self) -> None: ...


def document_text(p: Practice) -> tuple[str, str]:
    """The title and the body a backend indexes for a practice (before :func:`index_text`); the
    body ends with the labels of its tags (:func:`tag_labels`)."""
    title = " ".join(p.title.values())
    body = "\n".join([p.text(), p.city, p.country, p.region, *p.partners, *p.rights,
                      *tag_labels(p)])
    return title, body


def tag_labels(p: Practice) -> list[str]:
    """The labels, in every language, of the practice's themes, sub-themes and groups in the
    network's shared vocabulary (the bundled framework), so that ``migrants`` and ``이주민`` find
    a practice tagged with the group ``migrants``; codes the vocabulary lacks add nothing."""
    vocabulary = _vocabulary()
    tags = [("theme", c) for c in (*p.themes, *p.sub_themes)] + [("group", g) for g in p.groups]
    return [label for tag in tags for label in vocabulary.get(tag, ())]


@lru_cache(maxsize=1)
def _vocabulary() -> dict[tuple[str, str], tuple[str, ...]]:
    from ..framework.io import load_framework

    fw = load_framework("social-inclusion-marker")
    out = {("theme", n.code): tuple(dict.fromkeys(n.labels.values()))
           for n in fw.nodes if not n.is_indicator}
    out.update({("group", g.code): tuple(dict.fromkeys(g.labels.values())) for g in fw.groups})
    return out


def hangul_bigrams(run: str) -> list[str]:
    return [run] if len(run) < 3 else [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """Text as indexed: Hangul runs replaced by their bigrams, everything else unchanged."""
    return _HANGUL_RUN.sub(lambda m: " ".join(hangul_bigrams(m.group())), text)


def strip_particle(word: str) -> str:
    """A Korean word without one trailing particle, when two or more syllables remain."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def query_terms(query: str) -> list[str]:
    """The FTS5 phrases of a user query: one per word, all required (AND)."""
    terms = []
    for word in _WORD.findall(query):
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if not word:
            continue
        if _HANGUL_RUN.fullmatch(word):
            pieces = hangul_bigrams(strip_particle(word))
            terms.append('"' + " ".join(pieces) + '"')
        else:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return terms


def similarity_terms(text: str, limit: int = 40) -> list[str]:
    """The words of a practice (Hangul as bigrams), most frequent first, for "similar practices"."""
    counts: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        if _HANGUL_RUN.fullmatch(word):
            for piece in hangul_bigrams(strip_particle(word)):
                counts[piece] = counts.get(piece, 0) + 1
        elif len(word) > 2 and word not in STOPWORDS and not word.isdigit():
            counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], -len(w), w))[:limit]


class PracticeIndex:
    """A searchable collection of practices on one backend (SQLite FTS5 by default).

    ``PracticeIndex(path)`` opens or creates the store at ``path`` (":memory:" for none).
    """

    def __init__(self, path: str = ":memory:", backend: str = "sqlite", **options):
        _ensure_builtin_backends()
        self.backend: SearchBackend = search_backends.get(backend)(path, **options)

    def __enter__(self) -> PracticeIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self.backend.count()

    def add(self, practices: Practice | Iterable[Practice]) -> int:
        """Add or replace practices (by id); returns how many were written."""
        if isinstance(practices, Practice):
            practices = [practices]
        return self.backend.add(practices)

    def remove(self, ids: str | Iterable[str]) -> int:
        return self.backend.remove([ids] if isinstance(ids, str) else ids)

    def get(self, practice_id: str) -> Practice | None:
        return self.backend.get(practice_id)

    def all(self) -> Iterator[Practice]:
        return self.backend.all()

    def search(self, query: str = "", *, filters: Filters | None = None, limit: int = 20,
               offset: int = 0, **filter_args) -> list[Hit]:
        """Practices matching every word of ``query`` and every filter, best first.

        ``filter_args`` are :class:`Filters` fields (``themes=["SPA"], year=2024``). An empty
        query lists the practices that pass the filters, by title.
        """
        filters = filters or Filters(**filter_args)
        return self.backend.search(query, filters, limit, offset)

    def ranked(self, query: str = "", *, filters: Filters | None = None, limit: int = 20,
               offset: int = 0, **filter_args) -> list[tuple[str, float]]:
        """Like :meth:`search`, but only ``(id, score)`` pairs: no record is read (for pages
        that show one page of many results)."""
        filters = filters or Filters(**filter_args)
        return self.backend.rank(query, filters, limit, offset)

    def similar(self, practice_id: str, *, limit: int = 5, filters: Filters | None = None,
                **filter_args) -> list[Hit]:
        """Practices most like the given one: BM25 on its words, then shared codes break ties."""
        filters = filters or Filters(**filter_args)
        return self.backend.similar(practice_id, filters, limit)

    def close(self) -> None:
        self.backend.close()


def _ensure_builtin_backends() -> None:
    if "sqlite" not in search_backends:
        from . import sqlite_backend  # noqa: F401  (registers "sqlite")
