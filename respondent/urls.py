from django.urls import path

from . import views

app_name = "respondent"

urlpatterns = [
    path("respondent/", views.cases, name="cases"),
    path("respondent/new/", views.receive, name="receive"),
    path("respondent/<int:pk>/", views.detail, name="detail"),
    path("respondent/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("respondent/<int:pk>/pack.zip", views.pack, name="pack"),
]
