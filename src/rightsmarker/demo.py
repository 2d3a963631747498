"""Reproducible FICTIONAL demo data for the bundled ``social-inclusion-marker`` framework.

:func:`demo_data` invents a network of cities (fictional names and countries, never real
places), their observations in the long Observations contract (``unit, period, indicator, group,
value, text, source, note, flag``) and a few good-practice drafts. Everything is drawn from one
``numpy`` Generator, so a seed always gives the same data. The most populous cities also get
fictional district boundaries and values by district (see :func:`_districts`).

How values are made: each city has a latent capacity per theme (one strong and one weak theme) and
a yearly drift. An indicator's latent score ``s`` in [0, 1] is that capacity plus noise; a number is
``lower + s * (optimum - lower)``, so it always lies between the goalposts (a percentage stays in
0-100), and a number's ``s`` stays :data:`MARGIN` away from them. Yes/no indicators are 1 when
``s`` passes 0.45, stages are ``floor(s * 5)``, and both never go back in later periods; neither
is disaggregated.

Disaggregated rows are coherent with their total. Each ground's groups (:data:`GROUPS`) have
population shares and a position from the reference group (0) to the worse-off group (1); a
group's score is ``sigmoid(c - gap * position)``, with ``c`` solved so that the share-weighted
mean of the groups' scores (unreported groups, such as the middle 60% of incomes, half way) is
the total's ``s``. So the total lies between the groups, every group stays strictly between the
goalposts, and near a goalpost the groups draw together instead of piling up on it. The gap (in
logits) widens, closes or stays put across periods, depending on the city and the ground.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .framework.model import Framework, Node

MISSING_SHARE = 0.03
MARGIN = 0.02  # a number's score stays this far inside the goalposts, so its groups have room
GAP_START = (0.2, 1.0)  # range of a ground's first-period gap, in logits of the score
GAP_STEP = 0.2  # change of a widening / closing gap per period, in logits
THEMES = ("SPA", "SOC", "CUL", "ECO", "POL")

# name_en, name_ko, country, region -- all invented.
CITIES = [
    ("Aranvale", "아란베일", "Estoria", "East Asia"),
    ("Bellmora", "벨모라", "Estoria", "East Asia"),
    ("Corvassa", "코르바사", "Marenia", "South-East Asia"),
    ("Dunmarrow", "던매로", "Marenia", "South-East Asia"),
    ("Elsinwick", "엘신윅", "Tavalon", "South Asia"),
    ("Fenhollow", "펜할로", "Tavalon", "South Asia"),
    ("Glimmerport", "글리머포트", "Kirenza", "Pacific"),
    ("Halvenbrook", "할벤브룩", "Kirenza", "Pacific"),
    ("Ivorreach", "아이보리치", "Estoria", "East Asia"),
    ("Junipra", "주니프라", "Marenia", "South-East Asia"),
    ("Kestrelmoor", "케스트렐무어", "Tavalon", "South Asia"),
    ("Lumenhaven", "루멘헤이븐", "Kirenza", "Pacific"),
    ("Moonwhistle", "문휘슬", "Solvaria", "Central Asia"),
    ("Nerenthal", "네렌탈", "Solvaria", "Central Asia"),
    ("Orchidale", "오키데일", "Marenia", "South-East Asia"),
    ("Quillhaven", "퀼헤이븐", "Estoria", "East Asia"),
]
THEME_NAMES = {"SPA": "spatial", "SOC": "social", "CUL": "cultural", "ECO": "economic",
               "POL": "political"}

# ground -> its reported groups: (value, population share, position from the reference group (0)
# to the worse-off group (1)). Shares summing below 1 leave groups that are not reported (the
# middle 60% of incomes, other household types) at UNREPORTED_POSITION.
GROUPS = {
    "sex": (("female", 0.51, 1.0), ("male", 0.49, 0.0)),
    "age": (("65+", 0.24, 1.0), ("25-64", 0.63, 0.0), ("18-24", 0.13, 0.4)),
    "disability": (("yes", 0.07, 1.0), ("no", 0.93, 0.0)),
    "migration-status": (("migrant", 0.06, 1.0), ("non-migrant", 0.94, 0.0)),
    "income": (("bottom-20%", 0.2, 1.0), ("top-20%", 0.2, 0.0)),
    "household-type": (("single-parent", 0.08, 1.0), ("couple-with-children", 0.3, 0.0),
                       ("one-person", 0.32, 0.6)),
}
UNREPORTED_POSITION = 0.5

DISTRICT_CITIES = 3  # the most populous cities get fictional districts
# indicators with values by district (those of the framework; else its first quantitative ones)
DISTRICT_INDICATORS = ("SPA.1.O1", "SPA.3.O1", "SOC.2.O1", "ECO.1.O1", "ECO.2.O1")
QUANTITATIVE = ("number", "percent", "rate")

PRACTICES = [
    {"theme": "POL", "groups": ["migrants"],
     "en": ("Foreign residents' council with a right to a reply",
            "The council's proposals must be answered by the mayor within 60 days, in public."),
     "ko": ("외국인 주민 협의회 답변 의무제",
            "협의회 제안에 시장이 60일 안에 공개적으로 답변하도록 의무화했다.")},
    {"theme": "SPA", "groups": ["persons-with-disabilities", "older-persons"],
     "en": ("Barrier-free audit teams of disabled residents",
            "Paid teams of disabled residents audit public buildings before and after works."),
     "ko": ("장애인 당사자 무장애 점검단",
            "장애인 당사자로 구성된 유급 점검단이 공사 전후 공공건물의 접근성을 점검한다.")},
    {"theme": "SOC", "groups": ["migrants", "refugees-asylum-seekers", "homeless-persons"],
     "en": ("Public clinic for uninsured residents",
            "A municipal clinic treats anyone without insurance, with interpreters and no status "
            "questions."),
     "ko": ("건강보험 사각지대 주민 공공진료소",
            "시립 진료소가 체류자격을 묻지 않고 통역과 함께 보험이 없는 누구나 진료한다.")},
    {"theme": "CUL", "groups": ["persons-with-disabilities", "migrants", "older-persons"],
     "en": ("Officials' human rights training co-taught by people with lived experience",
            "Modules are co-designed and co-taught by disabled, migrant and older residents."),
     "ko": ("당사자 강사와 함께하는 공무원 인권교육",
            "장애인·이주민·노인 당사자가 교육과정을 함께 설계하고 강의한다.")},
    {"theme": "ECO", "groups": ["women", "older-persons"],
     "en": ("Living wage for outsourced cleaning and care staff",
            "Cleaning and care contracts require the city's living wage for every worker."),
     "ko": ("용역 청소·돌봄 노동자 생활임금 적용",
            "청소·돌봄 용역 계약에 모든 노동자에게 시 생활임금을 지급하도록 명시했다.")},
    {"theme": "SPA", "groups": ["migrants", "lgbti", "minorities"],
     "en": ("Hate incident reporting with victim support referral",
            "One multilingual line for hate incidents; each report is referred within a week."),
     "ko": ("혐오사건 신고와 피해자 지원 연계",
            "다국어 혐오사건 신고 창구를 운영하고 모든 신고를 1주일 안에 지원기관에 연계한다.")},
]


COLUMNS = ["unit", "period", "indicator", "group", "value", "text", "source", "note", "flag"]


@dataclass
class DemoData:
    """Fictional demo data: ``cities``, ``observations`` (long) and ``practices`` drafts.

    ``cities`` has one row per unit: ``unit, name, name_en, name_ko, country, region, population,
    peer_group, profile, fictional`` (readable by :func:`rightsmarker.read_units`).
    ``observations`` follows the Observations contract; ``practices`` are dicts with ``city,
    title {en, ko}, summary {en, ko}, themes, groups, status, fictional``.
    ``districts`` maps a city to its district boundaries (a GeoJSON FeatureCollection from
    :func:`rightsmarker.maps.demo_districts`, each feature with its ``population``);
    ``district_values`` are that city's values by district in the long contract, with groups
    ``district=<id>`` (kept apart: ``district`` is no ground of the framework).
    """

    cities: pd.DataFrame
    observations: pd.DataFrame
    practices: list[dict] = field(default_factory=list)
    seed: int = 2026
    districts: dict[str, dict] = field(default_factory=dict)
    district_values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))

    def write(self, directory: str | Path) -> dict[str, Path]:
        """Write cities.csv, observations.csv, practices.json, README.md, district_values.csv
        and one ``districts-<city>.geojson`` per city with districts into ``directory``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        names = ("cities.csv", "observations.csv", "practices.json", "README.md",
                 "district_values.csv", *(f"districts-{c}.geojson" for c in self.districts))
        paths = {name: out / name for name in names}
        self.cities.to_csv(paths["cities.csv"], index=False, encoding="utf-8")
        self.observations.to_csv(paths["observations.csv"], index=False, encoding="utf-8")
        self.district_values.to_csv(paths["district_values.csv"], index=False, encoding="utf-8")
        for city, geojson in self.districts.items():
            paths[f"districts-{city}.geojson"].write_text(json.dumps(geojson), encoding="utf-8")
        paths["practices.json"].write_text(
            json.dumps(self.practices, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths["README.md"].write_text(_readme(self), encoding="utf-8")
        return paths


def demo_data(seed: int = 2026, n_cities: int = 12, periods=(2023, 2024, 2025),
              framework: Framework | str = "social-inclusion-marker") -> DemoData:
    """Fictional cities, observations and good practices, deterministic for ``seed``."""
    if isinstance(framework, Framework):
        fw = framework
    else:
        from .framework.io import load_framework

        fw = load_framework(framework)
    rng = np.random.default_rng(seed)
    periods = tuple(int(p) for p in periods)
    cities, latent = _cities(rng, n_cities)
    rows: list[dict] = []
    for i, unit in enumerate(cities["unit"]):
        rows += _city_rows(rng, fw, unit, i, latent[i], periods)
    obs = pd.DataFrame(rows, columns=COLUMNS)
    districts, district_rows = _districts(np.random.default_rng([seed, 1]), fw, cities, obs)
    return DemoData(cities=cities, observations=obs, practices=_practices(cities, latent),
                    seed=seed, districts=districts,
                    district_values=pd.DataFrame(district_rows, columns=COLUMNS))


# ---------------------------------------------------------------- cities
def _cities(rng: np.random.Generator, n: int) -> tuple[pd.DataFrame, list[dict]]:
    order = rng.permutation(len(CITIES))
    records, latent = [], []
    for k in range(n):
        name_en, name_ko, country, region = CITIES[order[k % len(CITIES)]]
        if k >= len(CITIES):  # more cities than names: number the repeats
            suffix = f" {k // len(CITIES) + 1}"
            name_en, name_ko = name_en + suffix, name_ko + suffix
        pop = int(round(float(np.exp(rng.uniform(np.log(5e4), np.log(1e7)))), -3))
        cap = rng.uniform(0.35, 0.7, len(THEMES))
        strong, weak = rng.choice(len(THEMES), 2, replace=False)
        cap[strong], cap[weak] = rng.uniform(0.75, 0.92), rng.uniform(0.12, 0.3)
        drift = float(rng.uniform(-0.02, 0.06))
        latent.append({"cap": dict(zip(THEMES, cap, strict=True)), "drift": drift,
                       "strong": THEMES[strong], "weak": THEMES[weak]})
        group = "small" if pop < 500_000 else "medium" if pop < 2_000_000 else "large"
        records.append({
            "unit": name_en.lower().replace(" ", "-"), "name": name_en, "name_en": name_en,
            "name_ko": name_ko,
            "country": country, "region": region, "population": pop, "peer_group": group,
            "profile": _profile(group, latent[-1]), "fictional": True,
        })
    return pd.DataFrame(records), latent


def _profile(size: str, lat: dict) -> str:
    trend = ("improving" if lat["drift"] > 0.03 else "slowly improving" if lat["drift"] > 0
             else "stalling")
    return (f"Fictional {size} city, strong on {THEME_NAMES[lat['strong']]} inclusion but weak on "
            f"{THEME_NAMES[lat['weak']]} inclusion; {trend} across cycles.")


# ---------------------------------------------------------------- observations
def _city_rows(rng, fw: Framework, unit: str, city_i: int, lat: dict, periods) -> list[dict]:
    rows: list[dict] = []
    for ind in fw.indicators:
        base = lat["cap"][fw.ancestors(ind.code)[-2]] + rng.normal(0, 0.1)
        latent = [float(np.clip(base + lat["drift"] * t + rng.normal(0, 0.03), 0, 1))
                  for t in range(len(periods))]
        if ind.value_type in ("yes_no", "stage"):
            rows += _qualitative_rows(rng, ind, unit, periods, latent)
        else:
            rows += _number_rows(rng, ind, unit, city_i, periods, latent)
    return rows


def _row(unit, period, ind: Node, group: str, value, text=None, note=None) -> dict:
    missing = value is None or (isinstance(value, float) and np.isnan(value))
    return {"unit": unit, "period": period, "indicator": ind.code, "group": group,
            "value": np.nan if missing else value, "text": text,
            "source": ind.sources[0] if ind.sources else "demo generator",
            "note": note or ("not collected this cycle" if missing else None),
            "flag": "missing" if missing else None}


def _qualitative_rows(rng, ind: Node, unit: str, periods, latent: list[float]) -> list[dict]:
    if ind.value_type == "yes_no":
        values = np.maximum.accumulate([1.0 if s > 0.45 else 0.0 for s in latent])
    else:
        values = np.maximum.accumulate([float(min(int(s * 5), 4)) for s in latent])
    number = int(rng.integers(100, 999))
    rows = []
    for period, v in zip(periods, values, strict=True):
        rows.append(_row(unit, period, ind, "total", float(v), _evidence(ind, v, number, period)))
    return rows


def _evidence(ind: Node, value: float, number: int, period: int) -> str:
    if value == 0:
        return "No provision found; self-assessment by the focal point (fictional)"
    if ind.value_type == "stage":
        stage = ind.stages[int(value)].labels.get("en", ind.stages[int(value)].code)
        return (f"Ordinance No. {number} (fictional); stage '{stage}' documented in the "
                f"{period} report")
    return f"Ordinance No. {number} (fictional), article {number % 17 + 1}"


def _to_value(ind: Node, s: float) -> float:
    x = ind.lower + s * (ind.optimum - ind.lower)
    lo, hi = sorted((ind.lower, ind.optimum))
    if ind.value_type == "percent":
        lo, hi = max(lo, 0.0), min(hi, 100.0)
    digits = 2 if hi - lo < 10 else 1
    return round(float(np.clip(x, lo, hi)), digits)


def _number_rows(rng, ind: Node, unit, city_i: int, periods, latent: list[float]) -> list[dict]:
    grounds = [g for g in ind.disaggregations if g in GROUPS]
    gaps = {g: (rng.uniform(*GAP_START), _gap_trend(city_i, j)) for j, g in enumerate(grounds)}
    rows = []
    for t, (period, s) in enumerate(zip(periods, latent, strict=True)):
        s = min(max(s, MARGIN), 1 - MARGIN)
        rows.append(_maybe_missing(rng, _row(unit, period, ind, "total", _to_value(ind, s))))
        for g, (g0, trend) in gaps.items():
            gap = max(0.0, g0 + trend * GAP_STEP * t)
            scores = _group_scores(s, g, gap)[: len(GROUPS[g])]  # the unreported group last
            for (value, _, _), score in zip(GROUPS[g], scores, strict=True):
                rows.append(_maybe_missing(
                    rng, _row(unit, period, ind, f"{g}={value}", _to_value(ind, score))))
    return rows


def _group_scores(total: float, ground: str, gap: float) -> list[float]:
    """Scores of the ground's groups (reported ones first, then the rest) whose share-weighted
    mean is ``total`` (0 < total < 1), ``gap`` logits between reference and worse-off."""
    shares = [share for _, share, _ in GROUPS[ground]]
    offsets = [-gap * pos for _, _, pos in GROUPS[ground]]
    if sum(shares) < 1 - 1e-9:
        shares.append(1 - sum(shares))
        offsets.append(-gap * UNREPORTED_POSITION)
    return balanced_scores(total, offsets, shares)


def balanced_scores(total: float, offsets, shares) -> list[float]:
    """``sigmoid(c + offset)`` for each offset, with ``c`` such that their ``shares``-weighted
    mean is ``total`` (0 < total < 1; shares summing to 1).

    The mean is increasing in ``c`` and lies between ``sigmoid(c + min(offsets))`` and
    ``sigmoid(c + max(offsets))``, so ``c`` is in ``logit(total) - [max, min]``: Newton steps
    inside that bracket, halving it when a step would leave it.
    """
    target = math.log(total / (1 - total))
    lo, hi = target - max(offsets), target - min(offsets)
    c = (lo + hi) / 2
    for _ in range(60):
        scores = [_sigmoid(c + o) for o in offsets]
        err = sum(w * p for w, p in zip(shares, scores, strict=True)) - total
        if abs(err) < 1e-12:
            break
        lo, hi = (c, hi) if err < 0 else (lo, c)
        slope = sum(w * p * (1 - p) for w, p in zip(shares, scores, strict=True))
        step = c - err / slope if slope > 0 else lo - 1
        c = step if lo < step < hi else (lo + hi) / 2
    return [_sigmoid(c + o) for o in offsets]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _gap_trend(city_i: int, ground_j: int) -> int:
    """+1 widening, -1 closing, 0 stable: varies with the city and the ground."""
    return (1, -1, 0)[(city_i + ground_j) % 3]


def _maybe_missing(rng, row: dict) -> dict:
    if rng.random() < MISSING_SHARE:
        row.update(value=np.nan, note="not collected this cycle", flag="missing")
    return row


# ---------------------------------------------------------------- districts
def _districts(rng, fw: Framework, cities: pd.DataFrame, obs: pd.DataFrame
               ) -> tuple[dict[str, dict], list[dict]]:
    """Boundaries and values by district of the :data:`DISTRICT_CITIES` most populous cities.

    ``rng`` is a stream of its own, so the cities' other data do not depend on it. A city of
    ``p`` inhabitants has ``p / 500,000`` districts (6 to 12) of random sizes. Each district has
    a deprivation (in logits) shared by every indicator, plus a little per indicator and period;
    as for groups, the population-weighted mean of its districts' scores is the city's total,
    and a period whose total is missing has no district values.
    """
    from .maps import demo_districts

    codes = [c for c in DISTRICT_INDICATORS if c in fw.indicator_codes] or [
        n.code for n in fw.indicators if n.value_type in QUANTITATIVE][:4]
    totals = obs[obs["group"] == "total"].dropna(subset=["value"])
    totals = totals.groupby(["unit", "indicator"])[["period", "value"]]
    boundaries, rows = {}, []
    for city in cities.nlargest(DISTRICT_CITIES, "population").itertuples():
        n = int(np.clip(round(city.population / 500_000), 6, 12))
        geojson = demo_districts(city.unit, n)
        people = np.maximum(np.round(rng.dirichlet(np.full(n, 4.0)) * city.population, -2), 100)
        for feature, count in zip(geojson["features"], people, strict=True):
            feature["properties"]["population"] = int(count)
        boundaries[city.unit] = geojson
        ids = [f["properties"]["district"] for f in geojson["features"]]
        shares = list(people / people.sum())
        deprivation = rng.normal(0, 0.5, n)
        for code in codes:
            node = fw.node(code)
            local = deprivation + rng.normal(0, 0.2, n)
            if (city.unit, code) not in totals.groups:
                continue
            for period, total in totals.get_group((city.unit, code)).itertuples(index=False):
                u = min(max((total - node.lower) / (node.optimum - node.lower), 0.01), 0.99)
                offsets = list(-local + rng.normal(0, 0.05, n))
                for district, score in zip(ids, balanced_scores(u, offsets, shares), strict=True):
                    rows.append(_row(city.unit, period, node, f"district={district}",
                                     _to_value(node, score)))
    return boundaries, rows


# ---------------------------------------------------------------- practices and README
def _practices(cities: pd.DataFrame, latent: list[dict]) -> list[dict]:
    out = []
    for p in PRACTICES:
        best = int(np.argmax([lat["cap"][p["theme"]] for lat in latent]))
        out.append({
            "city": cities["unit"].iloc[best],
            "title": {lang: p[lang][0] for lang in ("en", "ko")},
            "summary": {lang: p[lang][1] for lang in ("en", "ko")},
            "themes": [p["theme"]], "groups": list(p["groups"]),
            "status": "draft", "fictional": True,
        })
    return out


def _readme(data: DemoData) -> str:
    obs = data.observations
    return (
        "# Demo data (FICTIONAL)\n\n"
        "Every city, country, value, ordinance number and good practice in this folder is\n"
        "invented by `rightsmarker.demo.demo_data` for demonstrations and tests. None describes\n"
        "a real place.\n\n"
        f"- seed: {data.seed}\n- cities.csv: {len(data.cities)} fictional cities\n"
        f"- observations.csv: {len(obs)} rows, periods {sorted(obs['period'].unique().tolist())},"
        " framework `social-inclusion-marker` (long form: unit, period, indicator, group, value,"
        " text, source, note, flag)\n"
        f"- practices.json: {len(data.practices)} good-practice drafts\n"
        f"- district_values.csv: {len(data.district_values)} values by district (group"
        " `district=<id>`) of the cities with a `districts-<city>.geojson` of fictional"
        " boundaries\n\n"
        "Regenerate with `python -c \"from rightsmarker.demo import demo_data; "
        f"demo_data(seed={data.seed}).write('demo')\"`.\n"
    )
