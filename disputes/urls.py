from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("disputes/", views.queue, name="queue"),
    path("disputes/new/", views.intake, name="intake"),
    path("disputes/stats/", views.stats_page, name="stats"),
    path("disputes/weekly/", views.weekly_page, name="weekly"),
    path("disputes/vulnerable/", views.vulnerable_register, name="vulnerable"),
    path("disputes/vulnerable/<int:pk>/", views.vulnerable_detail, name="vulnerable_detail"),
    path("disputes/vulnerable/<int:pk>/reveal/", views.vulnerable_reveal, name="vulnerable_reveal"),
    path("disputes/<int:pk>/", views.detail, name="detail"),
    path("disputes/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("disputes/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("disputes/<int:pk>/agreement.docx", views.agreement_document, name="agreement_docx"),
    path("disputes/<int:pk>/confirmation.docx", views.confirmation_document, name="confirmation_docx"),
    path("disputes/<int:pk>/scan/", views.upload_scan, name="scan"),
    path("disputes/<int:pk>/record.docx", views.case_record_document, name="case_record_docx"),
    path("public/disputes/new", views.public_intake, name="public_intake"),
    path("public/track/", views.public_track_form, name="public_track_form"),
    path("public/track/<str:code>", views.public_track, name="public_track"),
]
