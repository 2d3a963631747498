"""Seed an EMPTY database for ``rightsmarker serve --demo``: framework, fictional cities, three
cycles of data and demo accounts. Never touches a database that already holds anything.

- the bundled ``social-inclusion-marker`` framework as a FrameworkVersion;
- the fictional cities of :func:`rightsmarker.demo.demo_data` (12, seed 2026), the most
  populous with their fictional district boundaries (and values by district, ``district=<id>``);
- cycles 2023 and 2024, published, every city's submission published with its values;
- cycle 2025, open: the first city's submission a draft with half its values, the next ones
  submitted, returned (with a reviewer's comment) and approved; the rest alternate between a
  partial draft and a submitted one;
- the demo accounts of :data:`DEMO_PASSWORDS` (one editor per city, one viewer).

Values are written with ``bulk_create`` (no audit entry per value); cycles and submissions are
saved normally, so their creation is in the audit log (by the system, no actor).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .accounts.models import Role
from .accounts.users import create_user
from .frameworks.importing import import_bundled
from .frameworks.models import FrameworkVersion
from .network.models import City
from .reporting.models import Comment, Cycle, Submission, Value

FRAMEWORK = "social-inclusion-marker"
DEMO_SEED = 2026
DEMO_PASSWORDS = {"admin": "admin-demo", "reviewer": "reviewer-demo", "editor": "editor-demo",
                  "viewer": "viewer-demo"}
PUBLISHED_YEARS = (2023, 2024)
OPEN_YEAR = 2025


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    city: str | None = None


def database_is_empty() -> bool:
    """No framework, city, cycle or user yet: the only state in which seeding runs."""
    return not (FrameworkVersion.objects.exists() or City.objects.exists()
                or Cycle.objects.exists() or get_user_model().objects.exists())


def seed_demo(n_cities: int = 12) -> list[DemoAccount] | None:
    """Seed an empty database; return the demo accounts, or None when it was not empty."""
    from rightsmarker.demo import demo_data

    if not database_is_empty():
        return None
    with transaction.atomic():
        fv = import_bundled(FRAMEWORK)
        demo = demo_data(seed=DEMO_SEED, n_cities=n_cities, framework=fv.as_framework())
        cities = _cities(demo.cities, demo.districts)
        accounts = _accounts(cities)
        reviewer = get_user_model().objects.get(username="reviewer")
        rows = pd.concat([demo.observations, demo.district_values], ignore_index=True)
        by_period = {int(p): rows for p, rows in rows.groupby("period")}
        for year in PUBLISHED_YEARS:
            _published_cycle(fv, year, cities, by_period[year])
        _open_cycle(fv, cities, by_period[OPEN_YEAR], reviewer)
    return accounts


def demo_accounts(city_codes: list[str]) -> list[DemoAccount]:
    """The accounts the demo creates for these cities (editor per city, viewer of the first)."""
    out = [DemoAccount("admin", DEMO_PASSWORDS["admin"], Role.SECRETARIAT_ADMIN.value),
           DemoAccount("reviewer", DEMO_PASSWORDS["reviewer"], Role.SECRETARIAT_REVIEWER.value)]
    out += [DemoAccount(f"editor-{code}", DEMO_PASSWORDS["editor"], Role.CITY_EDITOR.value, code)
            for code in city_codes]
    out.append(DemoAccount(f"viewer-{city_codes[0]}", DEMO_PASSWORDS["viewer"],
                           Role.CITY_VIEWER.value, city_codes[0]))
    return out


def _cities(frame, districts: dict[str, dict]) -> list[City]:
    cities = [City(code=r.unit, name_en=r.name_en, name_ko=r.name_ko, country=r.country,
                   region=r.region, population=int(r.population), peer_group=r.peer_group,
                   profile=r.profile, fictional=bool(r.fictional), geojson=districts.get(r.unit))
              for r in frame.itertuples()]
    City.objects.bulk_create(cities)
    return list(City.objects.filter(code__in=[c.code for c in cities]).order_by("pk"))


def _accounts(cities: list[City]) -> list[DemoAccount]:
    accounts = demo_accounts([c.code for c in cities])
    hashes = {}  # one hash per password: hashing is deliberately slow
    for a in accounts:
        if a.password not in hashes:
            hashes[a.password] = make_password(a.password)
        create_user(a.username, f"{a.username}@example.org", a.role, a.city,
                    password_hash=hashes[a.password])
    return accounts


def _published_cycle(fv, year: int, cities: list[City], rows) -> None:
    when = timezone.make_aware(dt.datetime(year + 1, 3, 1))
    cycle = Cycle.objects.create(
        name=f"{year} reporting cycle", name_ko=f"{year}년 보고 주기", year=year,
        framework_version=fv,
        status=Cycle.Status.PUBLISHED, opens_on=dt.date(year + 1, 1, 10),
        closes_on=dt.date(year + 1, 2, 28), published_at=when)
    by_city = dict(tuple(rows.groupby("unit")))
    for city in cities:
        sub = Submission.objects.create(cycle=cycle, city=city, status=Submission.Status.PUBLISHED,
                                        submitted_at=when, reviewed_at=when, published_at=when)
        _values(sub, by_city.get(city.code))


def _open_cycle(fv, cities: list[City], rows, reviewer) -> None:
    year = OPEN_YEAR
    cycle = Cycle.objects.create(
        name=f"{year} reporting cycle", name_ko=f"{year}년 보고 주기", year=year,
        framework_version=fv, status=Cycle.Status.OPEN,
        opens_on=dt.date(year + 1, 1, 10), closes_on=dt.date(year + 1, 12, 31))
    by_city = dict(tuple(rows.groupby("unit")))
    plan = ["draft", "submitted", "returned", "approved"]
    now = timezone.now()
    for i, city in enumerate(cities):
        status = plan[i] if i < len(plan) else ("draft" if i % 2 == 0 else "submitted")
        sub = Submission.objects.create(
            cycle=cycle, city=city, status=status,
            submitted_at=None if status == "draft" else now,
            reviewed_at=now if status in ("returned", "approved") else None,
            reviewed_by=reviewer if status in ("returned", "approved") else None)
        city_rows = by_city.get(city.code)
        if status == "draft" and city_rows is not None:
            city_rows = _first_half(city_rows)
        _values(sub, city_rows)
        if status == "returned":
            first = city_rows.iloc[0]["indicator"] if city_rows is not None else None
            Comment.objects.create(
                submission=sub, author=reviewer, indicator=first,
                text="Please attach the evidence for this indicator (fictional demo comment).")


def _first_half(rows: pd.DataFrame) -> pd.DataFrame:
    """A draft's values: the indicators of the first half of the city's rows (framework order),
    each with all its rows (groups and districts); district rows do not move the half way."""
    plain = rows[~rows["group"].str.startswith("district=")]
    kept = set(plain.iloc[: len(plain) // 2]["indicator"])
    return rows[rows["indicator"].isin(kept)]


def _values(sub: Submission, rows) -> None:
    if rows is None:
        return
    Value.objects.bulk_create([
        Value(submission=sub, indicator=r.indicator, group=r.group,
              value_number=None if _missing(r.value) else float(r.value),
              value_text=_text(r.text), source=_text(r.source)[:300], note=_text(r.note),
              flag=_text(r.flag)[:50])
        for r in rows.itertuples()], batch_size=1000)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _text(x) -> str:
    return "" if _missing(x) else str(x)
