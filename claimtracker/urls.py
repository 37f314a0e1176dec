from django.contrib import admin
from django.urls import path

from articles import views as article_views

urlpatterns = [
    path("", article_views.document_list, name="document-list"),
    path("documents/<int:pk>/", article_views.document_detail, name="document-detail"),
    path("admin/", admin.site.urls),
]
