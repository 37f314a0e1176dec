from django.urls import path

from claims import review_views

urlpatterns = [
    path("", review_views.review_queue, name="review-queue"),
    path("<int:pk>/", review_views.review_claim, name="review-claim"),
    path("<int:pk>/decide/", review_views.review_decide, name="review-decide"),
    path("<int:pk>/skip/", review_views.review_skip, name="review-skip"),
    path("<int:pk>/undo/", review_views.review_undo, name="review-undo"),
]
