from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("disclosure/", views.request_list, name="list"),
    path("disclosure/new/", views.receive, name="receive"),
    path("disclosure/proactive/", views.proactive, name="proactive"),
    path("disclosure/<int:pk>/", views.detail, name="detail"),
    path("disclosure/<int:pk>/deliver/", views.deliver, name="deliver"),
    path("disclosure/<int:pk>/letter.docx", views.letter, name="letter"),
    path("disclosure/<int:pk>/correction.docx", views.correction_letter, name="correction_letter"),
    path("disclosure/<int:pk>/extension.docx", views.extension_letter, name="extension_letter"),
]
