"""A small scored world for the results tests: two cycles of values for both cities."""

from __future__ import annotations

import pytest

VALUES = {  # (city, year): {indicator or (indicator, group): value}
    ("aranvale", 2023): {"ordinance": 1, "action-plan": 2, "poverty-rate": 14.0,
                         "employment-rate": 61.0, ("poverty-rate", "sex=female"): 17.0},
    ("aranvale", 2024): {"ordinance": 1, "action-plan": 3, "employment-rate": 64.0,
                         ("poverty-rate", "sex=female"): 16.0, ("poverty-rate", "sex=male"): 9.0},
    ("bellmora", 2023): {"ordinance": 0, "action-plan": 1, "poverty-rate": 22.0,
                         "employment-rate": 58.0},
    ("bellmora", 2024): {"ordinance": 0, "action-plan": 1, "poverty-rate": 27.0,
                         "employment-rate": 57.0},
}


def add_values(submission, values: dict) -> None:
    from rightsmarker.web.reporting.models import Value

    for key, number in values.items():
        indicator, group = key if isinstance(key, tuple) else (key, "total")
        Value.objects.create(submission=submission, indicator=indicator, group=group,
                             value_number=number, source="survey")


@pytest.fixture(name="results_world")
def results_world_fixture(world, settings):
    """The web ``world`` with a published 2023 cycle, both cities published in 2023 and 2024,
    city attributes for the filters, and a score run of the 2024 cycle (``world.run``). The
    score action scores in the request (``RIGHTSMARKER_SCORING_SYNC``) unless a test turns
    it off."""
    settings.RIGHTSMARKER_SCORING_SYNC = True
    from rightsmarker.web.reporting.models import Cycle, Submission
    from rightsmarker.web.results.services import score_cycle

    world.city_a.region, world.city_a.population, world.city_a.peer_group = "East", 82_000, "small"
    world.city_b.region, world.city_b.population, world.city_b.peer_group = "West", 2_000_000, "big"
    world.city_a.save()
    world.city_b.save()
    old = Cycle.objects.create(name="2023 cycle", year=2023, framework_version=world.fv,
                               status="published")
    subs = {("aranvale", 2023): Submission.objects.create(cycle=old, city=world.city_a,
                                                          status="published"),
            ("bellmora", 2023): Submission.objects.create(cycle=old, city=world.city_b,
                                                          status="published"),
            ("aranvale", 2024): world.published,
            ("bellmora", 2024): Submission.objects.create(cycle=world.past, city=world.city_b,
                                                          status="published")}
    for key, sub in subs.items():
        add_values(sub, VALUES[key])
    world.published.values.filter(indicator="ordinance").update(
        evidence_url="https://example.org/ordinance.pdf")
    world.old = old
    world.run = score_cycle(world.past, user=world.users["admin"])
    return world
