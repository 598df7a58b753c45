"""The client's view of an API answer: the error body's field reasons flattened, and an in-process
call that reaches the gateway as the browser's own request would."""
from __future__ import annotations

import pytest
from flask import Flask, jsonify, request

from canopy_web.api import ApiError, Gateway, field_errors


def test_field_errors_are_flattened_to_dotted_names_without_webargs_locations():
    errors = {"json": {"email": ["Not a valid email address."],
                       "responses": {"0": {"value": ["Must be one of: 1, 2, 3."]}, "2": {"note": ["Too long."]}},
                       "employment": {"school_id": ["Unknown school."]}},
              "query": {"page": ["Must be at least 1."]}}
    assert field_errors(errors) == {
        "email": ["Not a valid email address."], "responses.0.value": ["Must be one of: 1, 2, 3."],
        "responses.2.note": ["Too long."], "employment.school_id": ["Unknown school."],
        "page": ["Must be at least 1."]}


def test_field_errors_without_a_field_and_of_odd_shapes():
    assert field_errors(None) == {} and field_errors({}) == {}
    assert field_errors(["Something is wrong."]) == {"_": ["Something is wrong."]}
    assert field_errors("plain") == {"_": ["plain"]}
    assert field_errors({"tags": [{"name": ["Required."]}, {"name": ["Too long."]}]}) == {
        "tags.name": ["Required.", "Too long."]}
    assert field_errors({"json": {"email": "Not valid."}}) == {"email": ["Not valid."]}
    # A field that happens to be called like a location keeps its name below the top level.
    assert field_errors({"json": {"query": ["Too short."]}}) == {"query": ["Too short."]}


def test_a_refused_answer_is_an_api_error_with_its_reasons():
    stub = Flask("stub")

    @stub.post("/api/identity/v1/people")
    def refuse():
        response = jsonify(status=422, code="invalid", message="The request was not valid.",
                           errors={"json": {"email": ["Not a valid email address."]}})
        response.status_code = 422
        return response

    with pytest.raises(ApiError) as refused:
        Gateway("http://127.0.0.1:8000/api", 5, wsgi_app=stub).call("POST", "identity", "/v1/people", json={})
    assert refused.value.status == 422 and refused.value.message == "The request was not valid."
    assert refused.value.reason_for("email") == "Not a valid email address."
    assert refused.value.reason_for("given_name") is None


def test_an_in_process_call_reaches_the_gateway_with_the_browsers_host_scheme_and_address():
    """Identity's mailed links are built from the host and scheme it is called with."""
    stub = Flask("stub")

    @stub.get("/api/identity/v1/echo")
    def echo():
        return jsonify(host_url=request.host_url, remote=request.remote_addr, query=request.args.to_dict())

    gateway = Gateway("http://127.0.0.1:8000/api", 5, wsgi_app=stub)
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "canopy.school.example",
                 "X-Forwarded-Proto": "https"}
    answer = gateway.call("GET", "identity", "/v1/echo", params={"q": "x", "blank": ""}, forwarded=forwarded).json()
    assert answer == {"host_url": "https://canopy.school.example/", "remote": "203.0.113.9", "query": {"q": "x"}}
    plain = gateway.call("GET", "identity", "/v1/echo").json()
    assert plain["host_url"] == "http://127.0.0.1:8000/"  # nothing forwarded: the API's own address
