from django.urls import path

from ducha.extraction import views

app_name = "extraction"
urlpatterns = [
    path("", views.index, name="index"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload"),
    path("plans/<slug:code>/", views.review, name="review"),
    path("plans/<slug:code>/details/", views.details, name="details"),
    path("plans/<slug:code>/nodes/", views.nodes, name="nodes"),
    path("plans/<slug:code>/add/", views.add, name="add"),
    path("plans/<slug:code>/activate/", views.activate, name="activate"),
    path("plans/<slug:code>/indicators/<str:indicator>/confirm/", views.confirm, name="confirm"),
    path("plans/<slug:code>/indicators/<str:indicator>/reopen/", views.reopen, name="reopen"),
    path("plans/<slug:code>/indicators/<str:indicator>/edit/", views.edit, name="edit"),
    path("plans/<slug:code>/indicators/<str:indicator>/drop/", views.drop, name="drop"),
]
