"""The OpenAPI document is valid OpenAPI 3 and describes exactly the routes the app serves."""

import re

from openapi_spec_validator import validate

from annotator.web.api.spec import PREFIX


def _served(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_document_validates_and_matches_the_routes(app):
    response = app.test_client().get(f"{PREFIX}/openapi.json")  # public: no token needed
    assert response.status_code == 200
    document = response.json
    validate(document)
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == _served(app)
    assert len(documented) >= 11


def test_query_parameters_are_the_ones_the_routes_read(app, db_path, project):
    from .api_helpers import bearer, make_token

    document = app.test_client().get(f"{PREFIX}/openapi.json").json
    gold = document["paths"][f"{PREFIX}/projects/{{project_id}}/gold"]["get"]
    limit = next(p for p in gold["parameters"] if p["name"] == "limit")
    maximum = limit["schema"]["maximum"]
    client, headers = app.test_client(), bearer(make_token(db_path, "admin"))
    url = f"{PREFIX}/projects/{project['id']}/gold?limit="
    assert client.get(url + str(maximum), headers=headers).status_code == 200
    refused = client.get(url + str(maximum + 1), headers=headers)
    assert refused.status_code == 400 and refused.json["error"]["field"] == "limit"
    export = document["paths"][f"{PREFIX}/projects/{{project_id}}/export"]["get"]
    formats = next(p for p in export["parameters"] if p["name"] == "format")["schema"]["enum"]
    assert formats == ["jsonl", "parquet"]
    # Records are declared from the export's own spec.
    gold_record = document["components"]["schemas"]["GoldRecord"]["properties"]
    assert gold_record["labels"]["properties"]["attributions"]["type"] == "array"
    assert gold_record["doc_char_start"]["type"] == "integer"
