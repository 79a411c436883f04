from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tanjiliang.web.core"
    label = "core"
    verbose_name = "碳计量 / Carbon metering"
    default_auto_field = "django.db.models.BigAutoField"
