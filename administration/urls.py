from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("administration/reviews/", views.reviews, name="reviews"),
    path("administration/reviews/new/", views.submit, name="submit"),
    path("administration/reviews/<int:pk>/", views.detail, name="detail"),
    path("administration/reviews/<int:pk>/issues/", views.add_issue, name="add_issue"),
    path("administration/reviews/<int:pk>/issues/<int:issue_id>/respond/", views.respond, name="respond"),
    path("administration/reviews/<int:pk>/opinion.docx", views.letter, name="letter"),
    path("administration/decisions/", views.decisions, name="decisions"),
    path("administration/normative/", views.normative_list, name="normative"),
    path("administration/contracts/", views.contracts, name="contracts"),
    path("administration/meetings/", views.meetings, name="meetings"),
    path("administration/normative/<int:pk>/", views.normative_detail, name="normative_detail"),
    path("administration/normative/cleanups/<int:pk>/", views.cleanup_detail, name="cleanup"),
    path("public/normative/", views.public_normative, name="public_normative"),
    path("administration/decisions/<int:pk>/", views.decision_detail, name="decision"),
]
