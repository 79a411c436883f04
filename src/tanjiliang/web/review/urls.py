"""URLs of the review app (included by tanjiliang/web/urls.py)."""

from django.urls import path

from tanjiliang.web.review import audit_views
from tanjiliang.web.review import views as v

urlpatterns = [
    path("reviews/", v.my_reviews, name="review-mine"),
    path("audit/", audit_views.audit_check, name="audit-check"),
    path("keys/", audit_views.my_key, name="signing-key"),
    path("keys/replace/", audit_views.replace_key, name="signing-key-replace"),
    path("keys/root.pem", audit_views.root_pem, name="signing-root"),
    path("overview/", v.overview, name="overview"),
    path("overview/overview.xlsx", v.overview_export, name="overview-export"),
    path("overview/units/<str:code>/", v.overview_unit, name="overview-unit"),
    path("units/<int:pk>/reviews/", v.review_list, name="review-list"),
    path("units/<int:pk>/reviews/self/", v.open_self, name="review-open-self"),
    path("units/<int:pk>/reviews/open/", v.open_review, name="review-open"),
    path("units/<int:pk>/reviews/<int:rid>/", v.review_detail, name="review-detail"),
    path("units/<int:pk>/reviews/<int:rid>/items/<str:item>/", v.judge, name="review-judge"),
    path("units/<int:pk>/reviews/<int:rid>/pending/", v.judge_pending, name="review-pending"),
    path("units/<int:pk>/reviews/<int:rid>/evidence/", v.upload_evidence, name="review-evidence"),
    path("units/<int:pk>/reviews/<int:rid>/evidence/<str:ident>/", v.download_evidence,
         name="review-evidence-file"),
    path("units/<int:pk>/reviews/<int:rid>/issue/", v.issue, name="review-issue"),
    path("units/<int:pk>/reviews/<int:rid>/ncs/<str:nc>/<str:verb>/", v.action,
         name="review-action"),
    path("units/<int:pk>/reviews/<int:rid>/conclude/", v.conclude, name="review-conclude"),
    path("units/<int:pk>/reviews/<int:rid>/sign/", v.sign, name="review-sign"),
    path("units/<int:pk>/reviews/<int:rid>/submit/", v.submit, name="review-submit"),
    path("units/<int:pk>/reviews/<int:rid>/refresh/", v.refresh, name="review-refresh"),
    path("units/<int:pk>/reviews/<int:rid>/amend/", v.amend, name="review-amend"),
    path("units/<int:pk>/reviews/<int:rid>/report.<str:fmt>", v.report, name="review-report"),
]
