from django.urls import path

from ducha.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("weights/", views.weights, name="weights"),
    path("units/<str:code>/", views.unit_card, name="unit"),
]
