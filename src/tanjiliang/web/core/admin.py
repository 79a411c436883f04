"""Account management for administrators (issue 5 §3): users with their role, enterprises,
reviewer assignments. History is shown read-only (append-only)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

#: The four permissions Django makes for every model, in words (their stored names, "Can add
#: API 令牌", are English text written once with the model's name of that moment).
PERMISSION_ACTIONS = {"add": pgettext_lazy("Permission", "新增"),
                      "change": pgettext_lazy("Permission", "修改"),
                      "delete": pgettext_lazy("Permission", "删除"),
                      "view": pgettext_lazy("Permission", "查看")}


def permission_words(p: Permission) -> str:
    """``核算 | 计量器具 | 修改`` in the page's language (probe s10 #12c)."""
    action, _sep, model = p.codename.partition("_")
    ct = p.content_type
    cls = ct.model_class()
    if action in PERMISSION_ACTIONS and cls is not None and model == cls._meta.model_name:
        from django.apps import apps

        app = apps.get_app_config(ct.app_label).verbose_name
        return f"{app} | {cls._meta.verbose_name} | {PERMISSION_ACTIONS[action]}"
    return str(p)


class TjGroupAdmin(GroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):  # type: ignore[no-untyped-def]
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions" and field is not None:
            # the models an administrator sees (not the caches and logs kept for the program)
            from django.contrib.contenttypes.models import ContentType

            shown = ContentType.objects.get_for_models(*admin.site._registry).values()
            field.queryset = field.queryset.filter(content_type__in=list(shown))
            field.label_from_instance = permission_words
        return field


admin.site.unregister(Group)
admin.site.register(Group, TjGroupAdmin)


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


def _lang() -> str:
    from django.utils.translation import get_language

    return "zh" if (get_language() or "zh").startswith("zh") else "en"


def action_word(action: str, lang: str) -> str:
    from tanjiliang.i18n import pick
    from tanjiliang.web.core.templatetags.tj import WORDS

    pair = WORDS.get(action)
    return pick(pair, lang, f"word:{action}") if pair else action


class ActionFilter(admin.SimpleListFilter):
    """History rows by action, named in words."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        codes = m.HistoryEntry.objects.values_list("action", flat=True).distinct().order_by("action")
        return [(c, action_word(c, _lang())) for c in codes]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(m.HistoryEntry)
class HistoryAdmin(admin.ModelAdmin):
    """The history read-only, in the page's language: the person by name and organisation,
    the action and the change in words (issue 13, probe s10 #12d)."""

    list_display = ("at", "unit_name", "person", "action_word", "what")
    list_filter = (ActionFilter,)
    fields = ("at", "unit_name", "person", "revision", "action_word", "subject", "what",
              "changes_words", "sha256")
    readonly_fields = fields

    @admin.display(description=_("用户"), ordering="username")
    def person(self, obj: m.HistoryEntry) -> str:
        from tanjiliang.web.core.templatetags.tj import person_text

        return person_text(obj.user, obj.username, _lang())

    @admin.display(description=_("操作"), ordering="action")
    def action_word(self, obj: m.HistoryEntry) -> str:
        return action_word(obj.action, _lang())

    @admin.display(description=pgettext_lazy("What", "内容"))
    def what(self, obj: m.HistoryEntry) -> str:
        return obj.zh if _lang() == "zh" else obj.en

    @admin.display(description=_("改动"))
    def changes_words(self, obj: m.HistoryEntry) -> str:
        import json

        from django.utils.html import format_html_join
        from django.utils.safestring import mark_safe

        from tanjiliang.web.core.change_words import shown

        rows = shown(json.loads(obj.changes or "[]")[:50], _lang())
        return format_html_join(mark_safe("<br>"), "{}{} {} → {}",
                                ((r["where"], "：" if _lang() == "zh" else ":", r["old"], r["new"])
                                 for r in rows)) or "—"

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


def _axes_row(self: Any) -> str:
    at = getattr(self, "attempt_time", None)
    return f"{self.username} · {at:%Y-%m-%d %H:%M:%S}" if at else str(self.username)


def _axes_words() -> None:
    """django-axes in the page's language (probe s10 #12d): its app name, the status column
    (a method without a title) and the words its catalogue lacks, which are in
    web/locale/zh_Hans (Locked Out, Attempt Remaining, Not set, Clean up expired attempts)."""
    from django.apps import apps

    try:
        from axes.admin import AccessAttemptAdmin
    except ImportError:  # axes not installed
        return
    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = _("登录保护")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    # a row's title (English sentences in axes): who and when, words of neither language
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.__str__ = _axes_row  # type: ignore[method-assign,assignment]
    AccessAttemptAdmin.status.short_description = pgettext_lazy("Status", "状态")  # type: ignore[attr-defined]
    AccessAttemptAdmin.expiration.short_description = _("到期时间")  # type: ignore[attr-defined]


_axes_words()
