"""Schemathesis sends generated and malformed requests to every operation: none may answer 500,
and every error is the documented error body."""
from canopy_kit.testing.fuzz import fuzz_operations


def test_no_input_makes_portfolio_answer_500(portfolio):
    report = fuzz_operations(portfolio.client.application, portfolio.as_(portfolio.pia), max_examples=15)
    assert report.failures == [] and report.bad_errors == []
    assert report.unsupported <= {"POST /v1/people/{person_id}/evidence"}  # a file upload; tested by hand
