from django.urls import path

app_name = "local_framework"

urlpatterns: list = []
