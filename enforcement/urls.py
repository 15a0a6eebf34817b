from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("enforcement/", views.cases, name="cases"),
    path("enforcement/new/", views.file_case, name="file"),
    path("enforcement/items/", views.items, name="items"),
    path("enforcement/officers/", views.officers, name="officers"),
    path("enforcement/inspections/", views.inspection_plans, name="inspections"),
    path("enforcement/inspections/<int:pk>/", views.inspection_plan, name="inspection"),
    path("enforcement/subjects/", views.subjects, name="subjects"),
    path("enforcement/evaluations/", views.evaluations, name="evaluations"),
    path("enforcement/evaluations/<int:pk>/", views.evaluation_campaign, name="evaluation"),
    path("enforcement/subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("enforcement/<int:pk>/", views.detail, name="detail"),
    path("enforcement/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("enforcement/<int:pk>/documents/<slug:kind>.docx", views.document, name="document"),
    path("public/enforcement-items/<str:street_code>/", views.public_items, name="public_items"),
]
