from django.urls import path

from claims import views

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
