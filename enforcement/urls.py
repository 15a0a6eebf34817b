from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("enforcement/", views.cases, name="cases"),
    path("enforcement/new/", views.file_case, name="file"),
    path("enforcement/items/", views.items, name="items"),
    path("enforcement/officers/", views.officers, name="officers"),
    path("enforcement/<int:pk>/", views.detail, name="detail"),
    path("enforcement/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("enforcement/<int:pk>/documents/<slug:kind>.docx", views.document, name="document"),
    path("public/enforcement-items/<str:street_code>/", views.public_items, name="public_items"),
]
