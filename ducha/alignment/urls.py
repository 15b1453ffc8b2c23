from django.urls import path

from ducha.alignment import views

app_name = "alignment"
urlpatterns = [
    path("", views.review, name="review"),
    path("overview/", views.overview, name="overview"),
    path("add/", views.add, name="add"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
