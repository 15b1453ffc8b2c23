from ducha.registers.urls import register_patterns

app_name = "technologies"
urlpatterns = register_patterns("technologies")
