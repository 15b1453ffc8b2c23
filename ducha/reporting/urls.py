from django.urls import path

from ducha.reporting import sheet, views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/state/", views.round_state, name="round_state"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("sheet/", sheet.sheet, name="sheet"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("assignments/<int:pk>/<slug:action>/", views.assignment_action, name="action"),
    path("review/", views.review_queue, name="review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/archive/", views.evidence_archive, name="evidence_archive"),
]
