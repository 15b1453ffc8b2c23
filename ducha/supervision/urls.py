from django.urls import path

from ducha.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:to>/", views.case_move, name="case_move"),
]
