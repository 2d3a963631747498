"""Demo seeding (``rightsmarker serve --demo``): a full demo in an empty database, never twice."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model

from rightsmarker.web.frameworks.models import FrameworkVersion
from rightsmarker.web.network.models import City
from rightsmarker.web.reporting.models import Cycle, Submission, Value
from rightsmarker.web.seed import demo_accounts, seed_demo

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (FrameworkVersion, City, Cycle, Submission, Value,
                                             get_user_model()))


def test_it_seeds_an_empty_database_with_a_whole_demo():
    accounts = seed_demo(n_cities=5)
    assert FrameworkVersion.objects.get().code == "social-inclusion-marker"
    assert City.objects.count() == 5 and all(City.objects.values_list("fictional", flat=True))
    cycles = {c.year: c.status for c in Cycle.objects.all()}
    assert cycles == {2023: "published", 2024: "published", 2025: "open"}
    published = Submission.objects.filter(cycle__year__in=[2023, 2024])
    assert {s.status for s in published} == {"published"} and published.count() == 10
    current = Submission.objects.filter(cycle__year=2025).order_by("pk")
    assert [s.status for s in current] == ["draft", "submitted", "returned", "approved", "draft"]
    assert current[2].comments.count() == 1
    assert Value.objects.filter(submission__status="published").count() > 100
    assert [a.username for a in accounts][:3] == ["admin", "reviewer", accounts[2].username]
    assert len(accounts) == 2 + 5 + 1


def test_every_demo_account_signs_in_with_its_documented_password():
    accounts = seed_demo(n_cities=3)
    for a in accounts:
        assert authenticate(username=a.username, password=a.password) is not None, a.username
    assert get_user_model().objects.get(username="admin").is_staff


def test_seeding_twice_changes_nothing():
    seed_demo(n_cities=3)
    before = _counts()
    assert seed_demo(n_cities=3) is None
    assert _counts() == before


def test_it_never_seeds_a_database_that_holds_anything():
    get_user_model().objects.create_user("someone", password="x")
    assert seed_demo(n_cities=3) is None
    assert City.objects.count() == 0 and FrameworkVersion.objects.count() == 0


def test_the_documented_demo_accounts_are_those_of_the_default_demo():
    codes = ["lumenhaven", "moonwhistle"]
    names = [a.username for a in demo_accounts(codes)]
    assert names == ["admin", "reviewer", "editor-lumenhaven", "editor-moonwhistle",
                     "viewer-lumenhaven"]


def test_the_guide_lists_every_account_of_the_default_demo():
    from pathlib import Path

    from rightsmarker.demo import demo_data

    guide = (Path(__file__).parents[2] / "docs" / "guide" / "web.md").read_text(encoding="utf-8")
    codes = demo_data(seed=2026).cities["unit"].tolist()
    for a in demo_accounts(codes):
        assert f"| `{a.username}` | `{a.password}` |" in guide, a.username


def test_the_most_populous_demo_cities_get_district_maps(client):
    from rightsmarker.web.results.services import score_cycle

    seed_demo(n_cities=4)
    with_map = City.objects.filter(geojson__isnull=False).order_by("-population")
    assert with_map.count() == 3
    assert list(City.objects.filter(geojson__isnull=True).values_list("population", flat=True)) \
        == [min(City.objects.values_list("population", flat=True))]
    city = with_map[0]
    ids = [f["properties"]["district"] for f in city.geojson["features"]]
    stored = Value.objects.filter(submission__city=city, submission__cycle__year=2024,
                                  group__startswith="district=", indicator="ECO.2.O1")
    assert sorted(v.group for v in stored) == sorted(f"district={i}" for i in ids)
    run = score_cycle(Cycle.objects.get(year=2024), warm=False)
    html = client.get(f"/results/city/{city.code}/map/?run={run.pk}&indicator=ECO.2.O1")\
        .content.decode()
    assert 'id="map-figure"' in html and 'id="map-note"' not in html
    assert ids[0] in html
