from django.urls import path

from ducha.assessments import views

app_name = "assessments"
urlpatterns = [
    path("method/", views.method, name="method"),
]
