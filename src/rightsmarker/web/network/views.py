"""Cities: the list of the network and a page per city (published results for everyone)."""

from __future__ import annotations

from django.urls import reverse

from ..reporting.access import visible_submissions
from ..twins import respond
from .access import get_city_for_user
from .models import City

CITY_COLUMNS = ["code", "name_en", "name_ko", "country", "region", "population", "peer_group",
                "fictional"]


def city_list(request, fmt: str = "/"):
    cities = list(City.objects.all())
    rows = [c.as_dict() for c in cities]
    return respond(request, fmt, "network/city_list.html", {"cities": cities},
                   data={"cities": rows}, rows=rows, columns=CITY_COLUMNS, filename="cities")


def city_detail(request, code: str, fmt: str = "/"):
    city, can_write = get_city_for_user(request.user, code)
    submissions = list(visible_submissions(request.user).filter(city=city))
    data = {"city": city.as_dict(), "submissions": [
        {"id": s.pk, "cycle": s.cycle.name, "year": s.cycle.year, "status": s.status,
         "url": request.build_absolute_uri(reverse("submission", args=[s.pk, "/"]))}
        for s in submissions]}
    context = {"city": city, "can_write": can_write, "submissions": submissions}
    return respond(request, fmt, "network/city_detail.html", context, data=data,
                   rows=data["submissions"], columns=["id", "cycle", "year", "status", "url"],
                   filename=f"city-{city.code}")
