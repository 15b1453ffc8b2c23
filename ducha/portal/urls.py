from django.urls import path

from ducha.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("bulletins/<int:pk>/", views.public_bulletin, name="bulletin"),
    path("plans/<slug:code>/", views.public_plan, name="plan"),
    path("manage/", views.manage, name="manage"),
    path("manage/bulletins/<int:pk>/", views.bulletin_state, name="bulletin_state"),
    path("manage/plans/<int:pk>/", views.plan_publish, name="plan_publish"),
]
