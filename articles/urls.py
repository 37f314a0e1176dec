from django.urls import path

from articles import views

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/claims/new/", views.claim_create, name="claim-create"),
]
