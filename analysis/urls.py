from django.urls import path

from analysis import views

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("<slug:slug>/", views.event_compare, name="event-compare"),
    path("<slug:slug>/matrix/", views.event_matrix, name="event-matrix"),
]

# The analyst workflow and the timeline (analysis/workflow_views.py).
from analysis import workflow_views  # noqa: E402

urlpatterns += [
    path("analyst/new/", workflow_views.event_new, name="event-new"),
    path("<slug:slug>/edit/", workflow_views.event_edit, name="event-edit"),
    path("<slug:slug>/explanations/new/", workflow_views.explanation_new, name="explanation-new"),
    path("explanations/<int:pk>/edit/", workflow_views.explanation_edit, name="explanation-edit"),
    path("<slug:slug>/propose/", workflow_views.event_propose, name="event-propose"),
    path("<slug:slug>/evidence/", workflow_views.event_evidence, name="event-evidence"),
    path("<slug:slug>/evidence/add/", workflow_views.evidence_new, name="evidence-new"),
    path("evidence/<int:pk>/decision/", workflow_views.evidence_decision, name="evidence-decision"),
    path("evidence/<int:pk>/rating/", workflow_views.evidence_rating, name="evidence-rating"),
    path("<slug:slug>/timeline/", workflow_views.event_timeline, name="event-timeline"),
]
