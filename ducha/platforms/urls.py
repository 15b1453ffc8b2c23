from ducha.registers.urls import register_patterns

app_name = "platforms"
urlpatterns = register_patterns("platforms")
