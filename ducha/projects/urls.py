from django.urls import path

from ducha.projects import views
from ducha.registers.urls import register_patterns

app_name = "projects"
urlpatterns = [
    *register_patterns("projects"),
    path("<int:pk>/advance/", views.advance_view, name="advance"),
]
