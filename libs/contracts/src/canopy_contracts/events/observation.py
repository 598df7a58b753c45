"""Events published by the observation service (v1).

Record events carry the record's whole current state (not a diff), so a consumer keeps its read
model by upserting on ``record_id`` whatever order events arrive in. Privacy by design: only a
**reportable** record that has left draft carries its ratings (per form item, linked to principle
ids); a **developmental** record's events carry who, when and where, never responses, ratings,
strengths or action text, and the schema rejects them, so no consumer can ever count them.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from canopy_contracts.registry import Contract

KINDS = ("drop_in", "learning_walk", "formal_observation", "work_scrutiny", "coaching_conversation")
PRIVACY_TIERS = ("developmental", "reportable")
RECORD_STATUSES = ("draft", "shared", "acknowledged")
ITEM_KINDS = ("rating", "single_choice", "multiple_choice", "checklist", "text", "number", "date")


class RatingV1(Schema):
    item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    principle_id = fields.UUID(required=True, allow_none=True)
    value = fields.Float(required=True)
    normalised = fields.Float(required=True, validate=validate.Range(min=0, max=1))


class RecordV1(Schema):
    record_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    observer_id = fields.UUID(required=True)
    observee_id = fields.UUID(required=True)
    observed_on = fields.Date(required=True)
    template_id = fields.UUID(required=True)
    template_version_id = fields.UUID(required=True)
    template_version = fields.Integer(required=True, validate=validate.Range(min=1))
    privacy = fields.String(required=True, validate=validate.OneOf(PRIVACY_TIERS))
    status = fields.String(required=True, validate=validate.OneOf(RECORD_STATUSES))
    subject = fields.String(required=True, allow_none=True, validate=validate.Length(max=100))
    year_group = fields.String(required=True, allow_none=True, validate=validate.Length(max=32))
    open_action_steps = fields.Integer(required=True, validate=validate.Range(min=0))
    ratings = fields.List(fields.Nested(RatingV1), required=True)

    @validates_schema
    def only_reportable_records_carry_ratings(self, data, **_kwargs):
        if data.get("ratings") and (data.get("privacy") != "reportable" or data.get("status") == "draft"):
            raise ValidationError("only a reportable record that has left draft carries ratings", "ratings")


class AccessGrantedV1(Schema):
    record_id = fields.UUID(required=True)
    observee_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    privacy = fields.String(required=True, validate=validate.OneOf(PRIVACY_TIERS))


class ActionStepCompletedV1(Schema):
    action_step_id = fields.UUID(required=True)
    record_id = fields.UUID(required=True)
    observer_id = fields.UUID(required=True)
    observee_id = fields.UUID(required=True)
    privacy = fields.String(required=True, validate=validate.OneOf(PRIVACY_TIERS))
    due_on = fields.Date(required=True, allow_none=True)
    completed_on = fields.Date(required=True)
    completed_in_record_id = fields.UUID(required=True, allow_none=True)


class TemplateItemV1(Schema):
    item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    label = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    principle_id = fields.UUID(required=True, allow_none=True)


class TemplatePublishedV1(Schema):
    template_id = fields.UUID(required=True)
    template_version_id = fields.UUID(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    owner_school_id = fields.UUID(required=True, allow_none=True)
    shared_with = fields.List(fields.UUID(), required=True, allow_none=True)
    items = fields.List(fields.Nested(TemplateItemV1), required=True)


class FrameworkItemV1(Schema):
    item_id = fields.UUID(required=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=16))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))


class FrameworkPublishedV1(Schema):
    framework_id = fields.UUID(required=True)
    framework_version_id = fields.UUID(required=True)
    key = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    items = fields.List(fields.Nested(FrameworkItemV1), required=True)


class CoachingPairV1(Schema):
    pair_id = fields.UUID(required=True)
    principle_id = fields.UUID(required=True)
    coach_id = fields.UUID(required=True)
    coachee_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True, allow_none=True)
    starts_on = fields.Date(required=True)


_RECORD = "7d0c4b1e-3a57-4f0e-9a61-2f7f3f1c0a01"
_PERSON = "5b0c9f9e-2a4d-4c1e-8f3a-1f6a3c2b9d11"
_OBSERVER = "5b0c9f9e-2a4d-4c1e-8f3a-1f6a3c2b9d12"
_SCHOOL = "0e7b1f2a-6c3d-4e5f-8a9b-0c1d2e3f4a51"
_TEMPLATE = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c61"
_TEMPLATE_VERSION = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c62"
_PRINCIPLE = "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b71"
_FRAMEWORK = "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b70"

_REPORTABLE = {
    "record_id": _RECORD, "school_id": _SCHOOL, "kind": "drop_in", "observer_id": _OBSERVER,
    "observee_id": _PERSON, "observed_on": "2026-11-20", "template_id": _TEMPLATE,
    "template_version_id": _TEMPLATE_VERSION, "template_version": 2, "privacy": "reportable", "status": "shared",
    "subject": "Mathematics", "year_group": "Year 8", "open_action_steps": 1,
    "ratings": [{"item_id": "questioning", "principle_id": _PRINCIPLE, "value": 3.0, "normalised": 0.6667}],
}
_DEVELOPMENTAL = {**_REPORTABLE, "privacy": "developmental", "ratings": []}

CONTRACTS = (
    Contract("observation.record.recorded", 1, RecordV1, {**_REPORTABLE, "status": "draft", "ratings": []},
             "An observer started a record (a draft, visible to them only); no ratings yet."),
    Contract("observation.record.shared", 1, RecordV1, _REPORTABLE,
             "The observer shared the record with the observee; a reportable record carries its ratings."),
    Contract("observation.record.acknowledged", 1, RecordV1, {**_DEVELOPMENTAL, "status": "acknowledged"},
             "The observee acknowledged the record (and may have responded; the response stays private)."),
    Contract("observation.record.access_granted", 1, AccessGrantedV1,
             {"record_id": _RECORD, "observee_id": _PERSON, "person_id": _OBSERVER, "privacy": "developmental"},
             "The observee shared one of their records with a colleague (e.g. their coach)."),
    Contract("observation.action_step.completed", 1, ActionStepCompletedV1,
             {"action_step_id": "6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2911", "record_id": _RECORD,
              "observer_id": _OBSERVER, "observee_id": _PERSON, "privacy": "reportable", "due_on": "2026-12-04",
              "completed_on": "2026-12-02", "completed_in_record_id": None},
             "An action step agreed after an observation was followed up and completed (its text stays private)."),
    Contract("observation.template.published", 1, TemplatePublishedV1,
             {"template_id": _TEMPLATE, "template_version_id": _TEMPLATE_VERSION, "version": 2,
              "name": "Developmental drop-in", "owner_school_id": None, "shared_with": None,
              "items": [{"item_id": "questioning", "label": "Questioning checks understanding", "kind": "rating",
                         "principle_id": _PRINCIPLE}]},
             "A form template version was published; it never changes afterwards."),
    Contract("observation.framework.published", 1, FrameworkPublishedV1,
             {"framework_id": _FRAMEWORK, "framework_version_id": "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b72",
              "key": "teaching-and-learning-principles", "name": "Teaching and learning principles", "version": 1,
              "items": [{"item_id": _PRINCIPLE, "code": "P1", "title": "Questioning"}]},
             "A framework version (the trust's principles, or national standards) was published."),
    Contract("observation.coaching_pair.recorded", 1, CoachingPairV1,
             {"pair_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c51", "principle_id": _PRINCIPLE, "coach_id": _OBSERVER,
              "coachee_id": _PERSON, "school_id": _SCHOOL, "starts_on": "2026-11-23"},
             "Two colleagues were paired for coaching on a principle."),
)
