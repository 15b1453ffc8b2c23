from ducha.registers.urls import register_patterns

app_name = "talents"
urlpatterns = register_patterns("talents")
