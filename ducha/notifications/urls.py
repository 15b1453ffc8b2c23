from django.urls import path

from ducha.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("robots/", views.robot_list, name="robots"),
    path("robots/new/", views.robot_edit, name="robot_new"),
    path("robots/<int:pk>/", views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot_test"),
    path("robots/<int:pk>/use/", views.robot_use, name="robot_use"),
    path("deliveries/", views.delivery_list, name="deliveries"),
]
