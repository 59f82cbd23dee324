from django.contrib import admin

from .models import District, Membership, Municipality


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country", "population")
    list_filter = ("country",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [DistrictInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "role")
    list_filter = ("role", "municipality")
    search_fields = ("user__username", "user__email", "municipality__name")
    autocomplete_fields = ("user", "municipality")
