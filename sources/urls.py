from django.urls import path

from sources import views

urlpatterns = [
    path("", views.actor_list, name="actor-list"),
    path("autocomplete/", views.actor_autocomplete, name="actor-autocomplete"),
    path("<int:pk>/", views.actor_detail, name="actor-detail"),
    path("<int:pk>/merge/", views.actor_merge, name="actor-merge"),
    path("merges/<int:pk>/undo/", views.actor_merge_undo, name="actor-merge-undo"),
]
