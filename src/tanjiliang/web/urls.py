"""URLs: the screens, the REST API (/api, OpenAPI at /api/docs) and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, register_converter
from django.utils.translation import gettext_lazy as _

from tanjiliang.web.core import api_plan  # noqa: F401  (registers /api/units/{id}/plan)
from tanjiliang.web.core.api import api, not_found
from tanjiliang.web.core.views import ledger, other, plan, units, wizard
from tanjiliang.web.month import views as month_views


class UnitFormat:
    """The unit file's download formats: ``unit.yaml``, ``unit.json`` (another is 404)."""

    regex = "yaml|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnitFormat, "unitformat")

admin.site.site_header = _("碳计量 管理")
admin.site.site_title = "tanjiliang"

urlpatterns = [
    path("", units.unit_list, name="unit-list"),
    path("login/", auth_views.LoginView.as_view(template_name="tj/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/import/", units.unit_import_new, name="unit-import-new"),
    path("units/new/", units.unit_new, name="unit-new"),
    path("units/<int:pk>/", units.dashboard, name="unit-dashboard"),
    path("units/<int:pk>/delete/", units.delete_unit, name="unit-delete"),
    path("units/<int:pk>/unit.<unitformat:fmt>", units.export_unit, name="unit-export"),
    path("units/<int:pk>/edit/", units.editor, name="unit-edit"),
    path("units/<int:pk>/edit/import/", units.import_unit, name="unit-import"),
    path("units/<int:pk>/edit/info/", units.edit_info, name="unit-edit-info"),
    path("units/<int:pk>/edit/management/", wizard.edit_management, name="unit-management"),
    path("units/<int:pk>/wizard/subunits/", wizard.wizard_subunits, name="wizard-subunits"),
    path("units/<int:pk>/wizard/equipment/", wizard.wizard_equipment, name="wizard-equipment"),
    path("units/<int:pk>/wizard/streams/", wizard.wizard_streams, name="wizard-streams"),
    path("units/<int:pk>/wizard/streams/<int:index>/", wizard.wizard_streams, name="wizard-stream"),
    path("units/<int:pk>/wizard/points/", wizard.wizard_points, name="wizard-points"),
    path("units/<int:pk>/wizard/instruments/", wizard.wizard_instruments,
         name="wizard-instruments"),
    path("units/<int:pk>/wizard/material/", wizard.wizard_material, name="wizard-material"),
    path("units/<int:pk>/edit/<str:section>/new/", units.edit_item, name="unit-item-new"),
    path("units/<int:pk>/edit/<str:section>/<int:index>/", units.edit_item, name="unit-item"),
    path("units/<int:pk>/edit/<str:section>/<int:index>/delete/", units.delete_item,
         name="unit-item-delete"),
    path("units/<int:pk>/ledger/", ledger.ledger, name="ledger"),
    path("units/<int:pk>/ledger/ledger.xlsx", ledger.ledger_export, name="ledger-export"),
    path("units/<int:pk>/ledger/import/", ledger.ledger_import, name="ledger-import"),
    path("units/<int:pk>/ledger/import/apply/", ledger.ledger_import_apply, name="ledger-import-apply"),
    path("units/<int:pk>/ledger/restore/", ledger.ledger_restore, name="ledger-restore"),
    path("units/<int:pk>/instruments/new/", ledger.instrument_new, name="instrument-new"),
    path("units/<int:pk>/instruments/<int:ipk>/", ledger.instrument, name="instrument"),
    path("units/<int:pk>/instruments/<int:ipk>/delete/", ledger.instrument_delete,
         name="instrument-delete"),
    path("units/<int:pk>/instruments/<int:ipk>/edit/", ledger.instrument_edit,
         name="instrument-edit"),
    path("units/<int:pk>/instruments/<int:ipk>/confirmations/", ledger.confirmation_add,
         name="confirmation-add"),
    path("units/<int:pk>/instruments/<int:ipk>/files/", ledger.file_upload, name="file-upload"),
    path("units/<int:pk>/files/<int:fpk>/", ledger.file_download, name="file-download"),
    path("units/<int:pk>/calendar/", ledger.calendar, name="calendar"),
    path("units/<int:pk>/assessment/", other.assessment_page, name="assessment"),
    path("units/<int:pk>/assessment.<str:fmt>", other.report_download, name="report"),
    path("units/<int:pk>/assessment/report/", other.report_inline, name="report-inline"),
    path("units/<int:pk>/plan/", plan.plan_page, name="plan"),
    path("units/<int:pk>/readings/", other.readings, name="readings"),
    path("overview/indicators/", month_views.indicators_page, name="indicators"),
    path("units/<int:pk>/months/", month_views.months, name="months"),
    path("units/<int:pk>/months/<str:month>/file/", month_views.month_file, name="months-file"),
    path("units/<int:pk>/readings/upload/", other.readings_upload, name="readings-upload"),
    path("units/<int:pk>/readings/<int:rpk>/", other.readings_report, name="readings-report"),
    path("units/<int:pk>/history/", other.history, name="history"),
    path("", include("tanjiliang.web.review.urls")),
    path("api/", api.urls),
    path("api/", include([re_path(r"", not_found)])),  # no operation there: the API's JSON 404
    path("admin/", admin.site.urls),
]

handler500 = "tanjiliang.web.core.errors.server_error"  # in the user's language
