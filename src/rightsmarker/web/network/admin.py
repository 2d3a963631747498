from django.contrib import admin

from .models import City


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ko", "country", "region", "population", "peer_group",
                    "fictional"]
    list_filter = ["region", "country", "peer_group", "fictional"]
    search_fields = ["code", "name_en", "name_ko", "country"]
