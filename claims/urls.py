from django.urls import path

from claims import views

urlpatterns = [
    path("", views.claim_list, name="claim-list"),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
]
