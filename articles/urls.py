from django.urls import path

from articles import source_view, upload_views, views

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/claims/new/", views.claim_create, name="claim-create"),
    path("files/<int:pk>/", source_view.source_file, name="source-file"),
    path("upload/", upload_views.upload, name="upload"),
    path("upload/<int:pk>/", upload_views.upload_batch, name="upload-batch"),
]
