"""Account management for administrators (issue 5 §3): users with their role, enterprises,
reviewer assignments. History is shown read-only (append-only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from tanjiliang.web.core import models as m


class ProfileInline(admin.StackedInline):
    model = m.Profile
    can_delete = False
    extra = 0


class TjUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "active", "role")
    # Permissions follow the role (auth.RoleBackend): Django's per-model permission lists,
    # named in English in the database, are not shown (issue 13).
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("姓名与联系方式"), {"fields": ("first_name", "last_name", "email")}),
        (_("账户状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    list_filter = ("is_active", "is_superuser")

    @admin.display(description=_("账户状态"))
    def active(self, obj: User) -> str:
        from django.utils.translation import get_language

        zh = (get_language() or "").startswith("zh")
        return ("启用" if zh else "active") if obj.is_active else ("停用" if zh else "inactive")

    @admin.display(description=_("角色"))
    def role(self, obj: User) -> str:
        p = getattr(obj, "tj", None)
        return p.get_role_display() if p else "—"


admin.site.unregister(User)
admin.site.register(User, TjUserAdmin)


@admin.register(m.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "region")
    search_fields = ("name", "credit_code")


class SectorFilter(admin.SimpleListFilter):
    """Units by sector, named in words (issue 13)."""

    title = _("行业")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        from django.utils.translation import get_language

        from tanjiliang.assess.labels import label

        lang = "zh" if (get_language() or "").startswith("zh") else "en"
        codes = m.Unit.objects.values_list("sector", flat=True).distinct().order_by("sector")
        return [(c, label("sector", c, lang)) for c in codes]

    def queryset(self, request, queryset):
        return queryset.filter(sector=self.value()) if self.value() else queryset


@admin.register(m.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "enterprise", "sector_name", "region", "revision")
    list_filter = (SectorFilter, "year")
    search_fields = ("name", "credit_code")
    filter_horizontal = ("reviewers",)
    fields = ("enterprise", "reviewers", "name", "year", "sector", "region", "revision")
    readonly_fields = ("name", "year", "sector", "region", "revision")

    def has_add_permission(self, request):  # units come from unit files or the editor
        return False

    @admin.display(description=_("行业"), ordering="sector")
    def sector_name(self, obj: m.Unit) -> str:
        from django.utils.translation import get_language

        from tanjiliang.assess.labels import label

        return label("sector", obj.sector, "zh" if (get_language() or "").startswith("zh") else "en")


@admin.register(m.HistoryEntry)
class HistoryAdmin(admin.ModelAdmin):
    list_display = ("at", "unit_name", "username", "action", "zh")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created", "last_used")
    readonly_fields = ("digest", "created", "last_used")
