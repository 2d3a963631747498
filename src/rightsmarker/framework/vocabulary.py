"""Default vocabularies: grounds of discrimination and population groups.

Every framework gets these on load (:func:`merge_vocabulary`), unless it defines a ground or a group
with the same code, in which case the framework's own definition wins. The grounds follow the
treaty-body reading of "other status" and the SDG 17.18 minimum disaggregation.

A group is defined over grounds as a conjunction ``ground=value[;ground=value]``; ``a|b`` accepts
either value (``migration-status=refugee|asylum-seeker``).
"""

from __future__ import annotations

from .model import Ground, Group

YES_NO = ["yes", "no"]


# Korean words of the values used by the default grounds and by common data (open grounds such
# as income or household type take any value: these are the usual ones).
VALUE_KO = {
    "female": "여성", "male": "남성", "other": "기타", "yes": "예", "no": "아니오",
    "non-migrant": "비이주민", "migrant": "이주민", "refugee": "난민",
    "asylum-seeker": "난민신청자", "stateless": "무국적자",
    "never-married": "미혼", "married": "기혼", "cohabiting": "동거", "separated": "별거",
    "divorced": "이혼", "widowed": "사별",
    "poor": "빈곤", "not-poor": "비빈곤", "housed": "주거 있음", "homeless": "노숙",
    "bottom-20%": "하위 20%", "top-20%": "상위 20%", "middle-60%": "중위 60%",
    "one-person": "1인 가구", "couple-with-children": "자녀가 있는 부부",
    "couple-without-children": "자녀가 없는 부부", "single-parent": "한부모",
    "urban": "도시", "rural": "농촌",
}


def _ground(code: str, en: str, ko: str, values: list[str] | None = None) -> Ground:
    return Ground(code=code, labels={"en": en, "ko": ko}, values=list(values or []),
                  value_labels={v: {"ko": k} for v, k in VALUE_KO.items()
                                if not values or v in values})


def _group(code: str, en: str, ko: str, definition: str) -> Group:
    return Group(code=code, labels={"en": en, "ko": ko}, definition=definition)


DEFAULT_GROUNDS: list[Ground] = [
    _ground("sex", "Sex", "성별", ["female", "male", "other"]),
    _ground("age", "Age", "연령", ["0-17", "18-24", "25-64", "65+"]),
    _ground("disability", "Disability", "장애", YES_NO),
    _ground(
        "migration-status",
        "Migration status",
        "이주 상태",
        ["non-migrant", "migrant", "refugee", "asylum-seeker", "stateless"],
    ),
    _ground("nationality", "Nationality", "국적"),
    _ground("ethnicity", "Ethnicity", "민족"),
    _ground("race", "Race", "인종"),
    _ground("colour", "Colour", "피부색"),
    _ground("religion", "Religion", "종교"),
    _ground("language", "Language", "언어"),
    _ground("income", "Income", "소득"),
    _ground("property", "Property", "재산"),
    _ground("place-of-residence", "Place of residence", "거주지"),
    _ground("sexual-orientation", "Sexual orientation", "성적 지향"),
    _ground("gender-identity", "Gender identity", "성별 정체성"),
    _ground("lgbti-status", "LGBTI status", "성소수자 여부", YES_NO),
    _ground(
        "marital-status",
        "Marital status",
        "혼인 상태",
        ["never-married", "married", "cohabiting", "separated", "divorced", "widowed"],
    ),
    _ground("family-status", "Family status", "가족 상황"),
    _ground("household-type", "Household type", "가구 유형"),
    _ground("health-status", "Health status", "건강 상태"),
    _ground("education", "Education", "교육 수준"),
    _ground("political-opinion", "Political or other opinion", "정치적 또는 그 밖의 의견"),
    _ground("national-origin", "National origin", "출신 국가"),
    _ground("social-origin", "Social origin", "사회적 출신"),
    _ground("birth", "Birth", "출생"),
    _ground("descent", "Descent", "가계(혈통)"),
    _ground("economic-social-situation", "Economic and social situation", "경제적·사회적 상황"),
    _ground("minority-status", "Minority status", "소수자 지위", YES_NO),
    _ground("indigenous-status", "Indigenous status", "선주민 지위", YES_NO),
    _ground("poverty-status", "Poverty status", "빈곤 상태", ["poor", "not-poor"]),
    _ground("housing-status", "Housing status", "주거 상태", ["housed", "homeless"]),
]

DEFAULT_GROUPS: list[Group] = [
    _group("women", "Women", "여성", "sex=female"),
    _group("children", "Children", "아동", "age=0-17"),
    _group("youth", "Youth", "청년", "age=18-24"),
    _group("older-persons", "Older persons", "노인", "age=65+"),
    _group("persons-with-disabilities", "Persons with disabilities", "장애인", "disability=yes"),
    _group("migrants", "Migrants", "이주민", "migration-status=migrant"),
    _group(
        "refugees-asylum-seekers",
        "Refugees and asylum seekers",
        "난민 및 난민신청자",
        "migration-status=refugee|asylum-seeker",
    ),
    _group("minorities", "Minorities", "소수자", "minority-status=yes"),
    _group("indigenous-peoples", "Indigenous peoples", "선주민", "indigenous-status=yes"),
    _group("lgbti", "LGBTI persons", "성소수자", "lgbti-status=yes"),
    _group(
        "persons-living-in-poverty", "Persons living in poverty", "빈곤층", "poverty-status=poor"
    ),
    _group("homeless-persons", "Homeless persons", "홈리스(노숙인)", "housing-status=homeless"),
    _group("stateless-persons", "Stateless persons", "무국적자", "migration-status=stateless"),
]


def _merge(defaults: list, own: list) -> list:
    """Defaults in their order with same-code entries replaced by ``own``; then ``own``'s others."""
    own_by_code = {x.code: x for x in own}
    default_codes = {d.code for d in defaults}
    merged = [own_by_code.get(d.code, d).model_copy(deep=True) for d in defaults]
    return merged + [x for x in own if x.code not in default_codes]


def merge_grounds(own: list[Ground]) -> list[Ground]:
    """The default grounds merged with a framework's own (the framework's win)."""
    return _merge(DEFAULT_GROUNDS, own)


def merge_groups(own: list[Group], grounds: list[Ground] | None = None) -> list[Group]:
    """The default groups merged with a framework's own (the framework's win).

    With ``grounds`` (the framework's, merged), a default group that does not fit them (its
    framework redefined ``age`` with other bands, say) is left out rather than reported.
    """
    own_codes = {g.code for g in own}
    merged = _merge(DEFAULT_GROUPS, own)
    if grounds is None:
        return merged
    by_code = {g.code: g for g in grounds}
    return [g for g in merged if g.code in own_codes or _fits(g, by_code)]


def _fits(group: Group, grounds: dict[str, Ground]) -> bool:
    for ground, values in group.conditions().items():
        if ground not in grounds:
            return False
        if grounds[ground].values and not set(values) <= set(grounds[ground].values):
            return False
    return True


def strip_defaults(items: list, defaults: list) -> list:
    """Drop the entries equal to the default of the same code (the inverse of the merge)."""
    by_code = {d.code: d for d in defaults}
    return [x for x in items if by_code.get(x.code) != x]
