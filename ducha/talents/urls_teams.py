"""The team pages (the talent database's second register)."""

from ducha.registers.urls import register_patterns

app_name = "teams"
urlpatterns = register_patterns("teams")
