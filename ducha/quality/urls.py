from django.urls import path

from ducha.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_page, name="settings"),
    path("rules/<int:pk>/", views.rule_state, name="rule_state"),
]
