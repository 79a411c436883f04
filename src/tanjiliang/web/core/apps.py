from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tanjiliang.web.core"
    label = "core"
    verbose_name = _("碳计量")
    default_auto_field = "django.db.models.BigAutoField"
