from ducha.registers.urls import register_patterns

app_name = "enterprises"
urlpatterns = register_patterns("enterprises")
