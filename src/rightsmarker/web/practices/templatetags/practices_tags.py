"""``{% load practices_tags %}{% city_practices city %}``: a city's published practices.

For the city profile pages (issue 7 "links from city profiles"): the page's owner adds these two
tags; nothing else is needed.
"""

from django import template

from ..models import PracticeRecord

register = template.Library()


@register.inclusion_tag("practices/_city_practices.html")
def city_practices(city, limit: int = 5):
    records = (PracticeRecord.objects.filter(city=city, status="published")
               .select_related("city").order_by("-updated_at")[: int(limit) + 1])
    records = list(records)
    return {"city": city, "records": records[: int(limit)], "more": len(records) > int(limit)}
