from django.urls import path

from ducha.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("security/", views.security, name="security"),
    path("<slug:app_label>/<slug:model_name>/<str:pk>/", views.history, name="history"),
]
