"""Tag suggestions for a practice text: themes, groups and SDGs, each with a score and its evidence.

Two sources, combined by one documented rule (docs/guide/practices.md):

* the **lexicon** (``lexicon.yaml``, bilingual): English terms matched on word boundaries, Korean
  stems matched inside words so particles and compounds match (인권을, 여성장애인). A code's
  lexicon score is ``1 - prod(1 - w)`` over the distinct terms found (strong 0.7, weak 0.35);
* the **embedding** (English text only): cosine similarity between the text and the code's
  description under the packaged all-MiniLM-L6-v2, turned into a score by a logistic curve
  whose centre and slope per kind are in the lexicon file (``calibration``).

The combined score is ``1 - (1 - lexicon) * (1 - embedding)``: either source alone can carry a
code over the threshold when it is confident, and agreement between them raises the score.
Only suggestions at or above the threshold are returned, best first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

KINDS = ("theme", "group", "sdg")
DEFAULT_THRESHOLD = 0.5
WEIGHTS = {"strong": 0.7, "weak": 0.35}
LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Entry:
    """One code of one kind: its description and its weighted English and Korean terms."""

    kind: str
    code: str
    description: str
    en: list[tuple[str, float, re.Pattern]] = field(default_factory=list)
    ko: list[tuple[str, float]] = field(default_factory=list)

    def lexicon_hits(self, lower: str, korean: bool) -> dict[str, float]:
        hits: dict[str, float] = {}
        for term, weight, pattern in self.en:
            if pattern.search(lower):
                hits[term] = max(hits.get(term, 0.0), weight)
        if korean:
            for stem, weight in self.ko:
                if stem in lower:
                    hits[stem] = max(hits.get(stem, 0.0), weight)
        return hits


@dataclass
class Lexicon:
    entries: dict[str, list[Entry]]
    calibration: dict[str, dict[str, float]]
    ignore: re.Pattern | None = None

    def strip(self, text: str) -> str:
        """The text without the boilerplate phrases of the ``ignore`` list."""
        return self.ignore.sub(" ", text) if self.ignore else text

    def codes(self, kind: str) -> list[str]:
        return [e.code for e in self.entries[kind]]


def term_pattern(term: str) -> re.Pattern:
    """A term as a regex: word boundaries, optional plural, ``*`` for any ending."""
    word = term.lower()
    tail = r"\w*" if word.endswith("*") else r"(?:s|es)?"
    words = [re.escape(w) for w in re.split(r"[\s\-]+", word.rstrip("*")) if w]
    body = r"[\s\-]*".join(words) if "-" in word else r"[\s\-]+".join(words)
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)")


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon file (the packaged one by default), compiled."""
    raw = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    entries: dict[str, list[Entry]] = {}
    for kind in KINDS:
        entries[kind] = []
        for code, spec in (raw.get(kind) or {}).items():
            entry = Entry(kind, str(code), " ".join(str(spec.get("description", "")).split()))
            for strength, weight in WEIGHTS.items():
                for term in (spec.get("en") or {}).get(strength, []) or []:
                    entry.en.append((str(term), weight, term_pattern(str(term))))
                for stem in (spec.get("ko") or {}).get(strength, []) or []:
                    entry.ko.append((str(stem), weight))
            entries[kind].append(entry)
    ignore = raw.get("ignore") or []
    pattern = re.compile("|".join(f"(?:{p})" for p in ignore), re.IGNORECASE) if ignore else None
    return Lexicon(entries, raw.get("calibration") or {}, pattern)


def is_english(text: str) -> bool:
    """Mostly Latin letters: the embedding model (English-only) applies."""
    latin, hangul = len(_LATIN.findall(text)), len(_HANGUL.findall(text))
    return latin > 0 and latin >= 2 * hangul


def lexicon_score(hits: dict[str, float]) -> float:
    return 1.0 - math.prod(1.0 - w for w in hits.values())


def suggest_tags(text: str, *, threshold: float | None = None, kinds=KINDS,
                 embeddings: bool | None = None, lexicon: Lexicon | None = None) -> list[dict]:
    """Suggested ``{"kind", "code", "score", "evidence"}`` at or above ``threshold``, best first.

    ``embeddings=None`` uses the packaged model for English text when it is installed; False
    turns it off; True requires it (ImportError when it is missing). ``evidence`` lists the
    lexicon terms found and, with embeddings, the cosine similarity to the code's description.
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    scores = score_all(text, kinds=kinds, embeddings=embeddings, lexicon=lexicon)
    out = [s for s in scores if s["score"] >= threshold]
    return sorted(out, key=lambda s: (-s["score"], KINDS.index(s["kind"]), s["code"]))


def score_all(text: str, *, kinds=KINDS, embeddings: bool | None = None,
              lexicon: Lexicon | None = None) -> list[dict]:
    """Every code of every kind with its lexicon, embedding and combined scores."""
    lex = lexicon or load_lexicon()
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; known: {', '.join(KINDS)}")
    text = lex.strip(text)
    lower = text.lower()
    korean = bool(_HANGUL.search(text))
    sims = _similarities(text, kinds, embeddings, lex)
    out = []
    for kind in kinds:
        cal = lex.calibration.get(kind, {})
        for i, entry in enumerate(lex.entries[kind]):
            hits = entry.lexicon_hits(lower, korean)
            s_lex = lexicon_score(hits)
            evidence = [f"term: {t}" for t in sorted(hits, key=lambda t: (-hits[t], t))]
            s_emb = 0.0
            if sims is not None:
                cos = float(sims[kind][i])
                s_emb = calibrate(cos, cal)
                evidence.append(f"similarity {cos:.2f} to: {entry.description[:60]}")
            supported = hits or cal.get("alone", True)
            score = 1.0 - (1.0 - s_lex) * (1.0 - (s_emb if supported else 0.0))
            out.append({"kind": kind, "code": entry.code, "score": round(score, 3),
                        "lexicon": round(s_lex, 3), "embedding": round(s_emb, 3),
                        "evidence": evidence})
    return out


def calibrate(cos: float, cal: dict[str, float]) -> float:
    """Logistic map of a cosine similarity: 0.5 at ``centre``; ``slope`` per unit of cosine."""
    centre, slope = cal.get("centre", 0.45), cal.get("slope", 25.0)
    return 1.0 / (1.0 + math.exp(-slope * (cos - centre)))


def _similarities(text: str, kinds, embeddings: bool | None, lex: Lexicon):
    if embeddings is False or not is_english(text):
        return None
    from . import embed

    if embeddings is None and not embed.available():
        return None
    model = embed.load_model()
    vec = model.encode([text])[0]
    return {kind: _description_vectors(id(lex), kind, lex) @ vec for kind in kinds}


_DESC_CACHE: dict[tuple[int, str], np.ndarray] = {}


def _description_vectors(key: int, kind: str, lex: Lexicon) -> np.ndarray:
    if (key, kind) not in _DESC_CACHE:
        from .embed import load_model

        texts = [e.description for e in lex.entries[kind]]
        _DESC_CACHE[(key, kind)] = load_model().encode(texts)
    return _DESC_CACHE[(key, kind)]
