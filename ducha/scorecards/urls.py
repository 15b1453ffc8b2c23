from django.urls import path

from ducha.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("weights/", views.weights, name="weights"),
    path("units/<str:code>/", views.unit_card, name="unit"),
    path("units/<str:code>/objections/", views.objection_new, name="objection_new"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
