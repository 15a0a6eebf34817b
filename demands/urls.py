from django.urls import path

from . import views

app_name = "demands"

urlpatterns = [
    path("demands/orders/", views.orders, name="orders"),
    path("demands/orders/new/", views.receive, name="receive"),
    path("demands/orders/<int:pk>/", views.detail, name="detail"),
    path("demands/orders/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("demands/duties/", views.duties, name="duties"),
    path("demands/duties/<int:pk>/delete/", views.duty_delete, name="duty_delete"),
    path("demands/figures/", views.figures, name="figures"),
    path("demands/petitions/", views.petitions, name="petitions"),
    path("demands/petitions/new/", views.petition_receive, name="petition_receive"),
    path("demands/petitions/<int:pk>/", views.petition_detail, name="petition"),
    path("demands/petitions/<int:pk>/record/<slug:kind>/", views.petition_record, name="petition_record"),
    path(
        "demands/petitions/<int:pk>/documents/<slug:kind>.docx",
        views.petition_document,
        name="petition_document",
    ),
]
