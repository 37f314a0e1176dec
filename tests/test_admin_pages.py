"""Every model's admin list and change pages render, with the seed data in place."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from articles.ingest import ingest_file
from articles.models import Document
from claims.services import documents_needing_extraction, extract_claims
from tests.conftest import seed_file

pytestmark = pytest.mark.django_db

OUR_MODELS = [
    m for m in apps.get_models() if m._meta.app_label in {"articles", "claims", "sources", "analysis"}
]


@pytest.fixture
def seeded():
    ingest_file(seed_file("004"))
    extract_claims(documents_needing_extraction(Document.objects.all()))


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_each_model_is_in_the_admin_with_working_list_search_and_change_pages(admin_client, seeded, model):
    assert model in admin.site._registry
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"{prefix}_changelist"), {"q": "Putin"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert admin_client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200
