from django.urls import path

from claims import export_views, views

urlpatterns = [
    path("", views.claim_list, name="claim-list"),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
    path("<int:pk>/panel/", views.claim_panel, name="claim-panel"),
    path("<int:pk>/edit/", views.claim_edit, name="claim-edit"),
    path("<int:pk>/status/", views.claim_status, name="claim-status"),
    path("<int:pk>/undo/", views.claim_undo, name="claim-undo"),
    path("<int:pk>/links/new/", views.claim_link_new, name="claim-link-new"),
    path("<int:pk>/links/search/", views.claim_link_search, name="claim-link-search"),
    path("links/<int:pk>/remove/", views.claim_link_remove, name="claim-link-remove"),
]

urlpatterns += [
    path("<int:pk>/claimreview.json", export_views.claim_review_json, name="claim-review-json"),
    path("<int:pk>/annotations.json", export_views.claim_annotations, name="claim-annotations"),
    path(
        "annotations/document/<int:pk>.json", export_views.document_annotations, name="document-annotations"
    ),
    path("export.csv", export_views.claims_csv, name="claim-export-csv"),
    path("export.json", export_views.claims_json, name="claim-export-json"),
]
