"""Example practices (fictional) for tests, docs and benchmarks.

:func:`example_practices` gives a handful of bilingual records; :func:`synthetic_practices`
makes any number of varied records, deterministic for a seed, for the search benchmark.
"""

from __future__ import annotations

import random

from .model import Practice

EXAMPLES = [
    dict(id="seo-barrier-free", city="SEO", country="KR", region="Asia", themes=["SPA"],
         sub_themes=["SPA.1"], groups=["persons-with-disabilities", "older-persons"],
         title={"en": "Barrier-free audit teams of disabled residents",
                "ko": "장애인 당사자 무장애 점검단"},
         summary={"en": "Paid teams of disabled residents audit public buildings before and "
                        "after works.",
                  "ko": "장애인 당사자로 구성된 유급 점검단이 공사 전후 공공건물의 접근성을 "
                        "점검한다."},
         period={"start": 2021}, sdg_targets=["11.7"], rights=["CRPD 9"],
         budget={"amount": 350000000, "currency": "KRW"}, status="published"),
    dict(id="gwa-foreign-council", city="GWA", country="KR", region="Asia", themes=["POL"],
         groups=["migrants"],
         title={"en": "Foreign residents' council with a right to a reply",
                "ko": "외국인 주민 협의회 답변 의무제"},
         summary={"en": "The council's proposals must be answered by the mayor within 60 days.",
                  "ko": "협의회 제안에 시장이 60일 안에 공개적으로 답변하도록 의무화했다."},
         period={"start": 2019, "end": 2022}, sdg_targets=["16.7"], status="published"),
    dict(id="bcn-clinic", city="BCN", country="ES", region="Europe", themes=["SOC"],
         groups=["migrants", "refugees-asylum-seekers", "homeless-persons"],
         title={"en": "Public clinic for uninsured residents"},
         summary={"en": "A municipal clinic treats anyone without insurance, with interpreters "
                        "and no status questions."},
         period={"start": 2016}, sdg_targets=["3.8", "10.2"], language="en"),
    dict(id="dae-rights-education", city="DAE", country="KR", region="Asia", themes=["CUL"],
         groups=["persons-with-disabilities", "migrants", "older-persons"],
         title={"en": "Officials' human rights training with people with lived experience",
                "ko": "당사자 강사와 함께하는 공무원 인권교육"},
         summary={"ko": "인권을 배우는 공무원 교육과정을 장애인·이주민·노인 당사자가 함께 설계하고 "
                        "강의한다."},
         period={"start": 2020, "end": 2024}, language="ko", status="submitted"),
    dict(id="seo-living-wage", city="SEO", country="KR", region="Asia", themes=["ECO"],
         groups=["women", "older-persons"],
         title={"en": "Living wage for outsourced cleaning and care staff",
                "ko": "용역 청소·돌봄 노동자 생활임금 적용"},
         summary={"en": "Cleaning and care contracts require the city's living wage for every "
                        "worker."},
         period={"start": 2015}, sdg_targets=["8.5"], status="published"),
    dict(id="vie-housing-first", city="VIE", country="AT", region="Europe", themes=["SPA"],
         sub_themes=["SPA.2"], groups=["homeless-persons"],
         title={"en": "Housing First for people sleeping rough"},
         summary={"en": "Homeless people get a flat of their own with a lease, and support "
                        "workers visit them at home."},
         period={"start": 2012}, sdg_targets=["11.1", "1.4"], status="published"),
]


def example_practices() -> list[Practice]:
    """Six fictional practices in English and Korean (cities SEO, GWA, BCN, DAE, VIE)."""
    return [Practice.model_validate(e) for e in EXAMPLES]


_SUBJECTS = [
    ("accessible buses and barrier-free stations", "저상버스와 무장애 역사", "SPA",
     "persons-with-disabilities"),
    ("affordable rental housing for young people", "청년 임대주택 공급", "SPA", "youth"),
    ("a shelter and counselling for victims of domestic violence", "가정폭력 피해자 쉼터와 상담",
     "SPA", "women"),
    ("a free clinic with interpreters for migrants", "이주민 통역 무료 진료소", "SOC", "migrants"),
    ("home care visits for older persons living alone", "홀몸 어르신 방문 돌봄", "SOC",
     "older-persons"),
    ("human rights education for city officials", "공무원 인권교육", "CUL", "minorities"),
    ("multilingual library programmes for children", "아동 다국어 도서관 프로그램", "CUL",
     "children"),
    ("a living wage in public contracts", "공공계약 생활임금 적용", "ECO",
     "persons-living-in-poverty"),
    ("job training for refugees", "난민 직업훈련", "ECO", "refugees-asylum-seekers"),
    ("a residents' council with a right to a reply", "주민 협의회 답변 의무제", "POL", "migrants"),
    ("an LGBTI advisory committee to the mayor", "성소수자 시장 자문위원회", "POL", "lgbti"),
    ("permanent flats for homeless people", "노숙인 영구 주택", "SPA", "homeless-persons"),
]
_VERBS = [("The city launched", "시가 시작한"), ("A district pilot of", "구 단위 시범사업:"),
          ("Citizens co-designed", "시민이 함께 설계한"),
          ("An ordinance guarantees", "조례로 보장한")]
_TAILS = ["with a yearly public report", "evaluated by an independent committee",
          "run with civil society partners", "funded from the participatory budget",
          "monitored with data by sex, age and disability"]
_TAILS_KO = ["매년 결과를 공개한다", "독립 위원회가 평가한다", "시민사회와 함께 운영한다",
             "주민참여예산으로 운영한다", "성별·연령·장애별 자료로 점검한다"]


def synthetic_practices(n: int, seed: int = 7) -> list[Practice]:
    """``n`` varied fictional practices (English and Korean), deterministic for ``seed``."""
    rng = random.Random(seed)
    cities = [f"C{i:03d}" for i in range(200)]
    regions = ["Asia", "Europe", "Africa", "Americas", "Oceania"]
    out = []
    for i in range(n):
        en, ko, theme, group = _SUBJECTS[rng.randrange(len(_SUBJECTS))]
        verb_en, verb_ko = _VERBS[rng.randrange(len(_VERBS))]
        t = rng.randrange(len(_TAILS))
        city = rng.choice(cities)
        start = rng.randrange(2005, 2026)
        out.append(Practice(
            id=f"p{i:06d}", city=city, region=regions[int(city[1:]) % len(regions)],
            title={"en": f"{verb_en} {en}", "ko": f"{verb_ko} {ko}"},
            summary={"en": f"{verb_en} {en}, {_TAILS[t]} (case {i}).",
                     "ko": f"{ko} 사업을 {_TAILS_KO[t]}. 사례 {i}."},
            themes=[theme], groups=[group],
            period={"start": start, "end": rng.choice([None, start + rng.randrange(1, 6)])},
            status="published"))
    return out


def from_demo(drafts: list[dict]) -> list[Practice]:
    """The demo data's practice drafts (``rightsmarker.demo.demo_data().practices``) as records.

    Ids are ``<city>-<n>``; the drafts' ``fictional`` flag is dropped (the demo data says so).
    """
    out = []
    for i, d in enumerate(drafts, start=1):
        data = {k: v for k, v in d.items() if k != "fictional"}
        data.setdefault("id", f"{str(d['city']).lower()}-{i}")
        out.append(Practice.model_validate(data))
    return out
