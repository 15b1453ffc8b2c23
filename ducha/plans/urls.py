from django.urls import path

from ducha.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<slug:code>/", views.plan_detail, name="detail"),
    path("<slug:code>/state/", views.plan_state, name="state"),
    path("<slug:code>/final/", views.final_evaluation, name="final"),
    path("<slug:code>/indicators/<str:indicator>/", views.indicator_detail, name="indicator"),
]
