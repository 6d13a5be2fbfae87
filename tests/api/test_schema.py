"""The OpenAPI schema is valid, describes every parameter, and its docs page needs no CDN."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from claims.models import ClaimKind, ClaimStatus
from visits.filters import VisitFilterSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi_with_no_warning(tmp_path):
    # --validate checks it against the OpenAPI 3 meta-schema; a warning fails the command.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")


def test_every_operation_is_described_with_its_errors(schema):
    paths = schema["paths"]
    for noun, key in [
        ("visits", "slug"),
        ("actors", "slug"),
        ("issues", "slug"),
        ("claims", "id"),
        ("sources", "slug"),
    ]:
        listing = paths[f"/api/v1/{noun}/"]["get"]
        assert set(listing["responses"]) == {"200", "400", "429"}
        detail = paths[f"/api/v1/{noun}/{{{key}}}/"]["get"]
        assert set(detail["responses"]) == {"200", "404", "429"}


def test_every_filter_of_the_list_is_a_parameter(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/visits/"]["get"]["parameters"]}
    assert set(VisitFilterSet.base_filters) | {"cursor", "page_size"} == set(parameters)
    assert parameters["leader"]["schema"]["type"] == "array"
    assert parameters["leader"]["explode"] is True
    assert parameters["year_from"]["schema"]["type"] == "integer"
    assert parameters["sort"]["schema"]["enum"] == ["-date", "date", "title"]
    assert parameters["page_size"]["schema"]["maximum"] == 500


def test_choice_parameters_list_their_values(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert parameters["status"]["schema"]["items"]["enum"] == ClaimStatus.values
    assert parameters["kind"]["schema"]["items"]["enum"] == ClaimKind.values
    claim = schema["components"]["schemas"]["Claim"]["properties"]
    assert {"source", "visit", "issues", "actors", "cite", "url", "api_url"} <= set(claim)


def test_the_docs_page_loads_every_file_from_this_site(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    for address in addresses:
        assert address.startswith("/"), address
        if address.startswith("/static/"):
            assert finders.find(address.removeprefix("/static/")), address
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
