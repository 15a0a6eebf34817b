from django.urls import path

from . import views

app_name = "steering"

urlpatterns = [
    path("indicators/", views.indicator_table, name="indicators"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<str:code>/records/", views.indicator_records, name="records"),
    path("indicators/<str:code>/target/", views.target_set, name="target_set"),
    path("indicators/<str:code>/entry/", views.entry_record, name="entry_record"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("reports/annual/", views.annual_report, name="annual_report"),
    path("reports/annual.docx", views.annual_report_docx, name="annual_report_docx"),
    path("reports/quarterly.xlsx", views.quarterly_xlsx, name="quarterly_xlsx"),
    path("reports/accountability.docx", views.accountability_docx, name="accountability_docx"),
    path("steering/plans/", views.plans, name="plans"),
    path("steering/tasks/<int:pk>/", views.task_detail, name="task"),
]
