from ducha.registers.urls import register_patterns

app_name = "parks"
urlpatterns = register_patterns("parks")
