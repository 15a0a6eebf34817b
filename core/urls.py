from django.contrib.auth import views as auth_views
from django.urls import path

from core import job_views, ledger, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("regions/", views.regions, name="regions"),
    path("regions/<int:pk>/", views.region_detail, name="region"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/count/", views.notification_count, name="notification_count"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/deadline/", views.calendar_deadline, name="calendar_deadline"),
    path("permissions/", views.permission_table, name="permissions"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("import/", views.import_page, name="import"),
    path("import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
    path("import/<slug:kind>/", views.import_upload, name="import_upload"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/export/<slug:kind>/", job_views.export, name="export"),
    path("jobs/report/<slug:kind>/", job_views.report, name="report"),
    path("lists/<slug:kind>/saved/", ledger.saved_filter_save, name="saved_filter_save"),
    path("lists/saved/<int:pk>/delete/", ledger.saved_filter_delete, name="saved_filter_delete"),
    path("lists/<slug:kind>/bulk/", ledger.bulk_action, name="bulk_action"),
    path("files/<str:kind>/<int:pk>/", views.download, name="download"),
    path(
        "workflow/<str:app_label>/<str:model>/<int:pk>/<str:action>/",
        views.workflow_action,
        name="workflow_action",
    ),
]
