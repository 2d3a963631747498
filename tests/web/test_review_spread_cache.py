"""The review's cross-city comparison is cached per pair of cycles, never stale after an edit:
a value added, changed or deleted in either cycle makes a new key."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _far_flag(client, pk) -> bool:
    data = client.get(f"/submissions/{pk}/review.json?jump_pct=900").json()
    row = next(r for r in data["values"] if r["indicator"] == "poverty-rate")
    return "robust SDs" in row["flags"]


@pytest.fixture
def cities(world):
    """Six more cities whose poverty rate moved by 0 to 0.5 between the two cycles."""
    from django.core.cache import cache

    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Submission, Value

    cache.clear()  # an earlier test may have left the same numbers under the same ids
    world.draft.status = "submitted"
    world.draft.save()
    values = []
    for i in range(6):
        city = City.objects.create(code=f"c{i}", name_en=f"City {i}")
        for cycle, number in ((world.past, 20.0), (world.current, 20.0 + 0.1 * i)):
            sub = Submission.objects.create(cycle=cycle, city=city, status="approved")
            values.append(Value.objects.create(submission=sub, indicator="poverty-rate",
                                               value_number=number))
    return values


def test_the_spread_of_all_cities_is_computed_once_per_version(world, cities, client_for,
                                                               monkeypatch):
    from rightsmarker.web.entry import compare

    calls = []
    real = compare._spread
    monkeypatch.setattr(compare, "_spread", lambda *a: calls.append(1) or real(*a))
    client = client_for("reviewer")
    assert _far_flag(client, world.draft.pk) and _far_flag(client, world.draft.pk)
    assert len(calls) == 1


def test_a_change_of_another_city_changes_the_flag_at_once(world, cities, client_for):
    client = client_for("reviewer")
    assert _far_flag(client, world.draft.pk)  # -1.5 while the others moved 0 to 0.5
    for v in cities[1::2]:  # the others now fell by 1.5 as well (saved: version + 1)
        v.value_number = 18.5
        v.save()
    assert not _far_flag(client, world.draft.pk)
    for i, v in enumerate(cities[1::2]):  # back as they were: a new version again
        v.value_number = 20.0 + 0.1 * i
        v.save()
    assert _far_flag(client, world.draft.pk)


def test_deleted_values_of_other_cities_are_not_compared_with_any_more(world, cities,
                                                                       client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("reviewer")
    assert _far_flag(client, world.draft.pk)
    Value.objects.filter(pk__in=[v.pk for v in cities[1::2][:3]]).delete()
    assert not _far_flag(client, world.draft.pk)  # 4 changes left: fewer than 5, no comparison
