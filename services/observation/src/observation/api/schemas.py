"""Marshmallow schemas observation's endpoints share."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from canopy_contracts.events.observation import ITEM_KINDS, KINDS, PRIVACY_TIERS, RECORD_STATUSES
from canopy_kit.web.fields import UtcDateTime
from canopy_kit.web.ids import TrustId, TrustIds
from canopy_kit.web.pagination import PageArgs

Text = lambda limit, **kw: fields.String(validate=validate.Length(max=limit), **kw)  # noqa: E731
Title = lambda **kw: fields.String(validate=validate.Length(min=1, max=200), **kw)  # noqa: E731


class ScalePointSchema(Schema):
    value = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-1000, max=1000))
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))


class OptionSchema(Schema):
    value = fields.String(required=True, validate=validate.Length(min=1, max=64))
    label = fields.String(required=True, validate=validate.Length(min=1, max=200))


class FormItemSchema(Schema):
    id = fields.String(required=True, validate=[validate.Length(min=1, max=64), validate.Regexp(r"^[A-Za-z0-9_.-]+$")])
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    label = fields.String(required=True, validate=validate.Length(min=1, max=300))
    help = Text(1000, load_default=None, allow_none=True)
    required = fields.Boolean(load_default=False)
    principle_id = TrustId("principle", load_default=None, allow_none=True,
                           metadata={"description": "a framework item's id"})
    scale = fields.List(fields.Nested(ScalePointSchema), load_default=None, allow_none=True,
                        validate=validate.Length(max=20))
    options = fields.List(fields.Nested(OptionSchema), load_default=None, allow_none=True,
                          validate=validate.Length(max=50))
    min = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    max = fields.Float(load_default=None, allow_none=True, allow_nan=False)


class SectionSchema(Schema):
    title = Title(required=True)
    items = fields.List(fields.Nested(FormItemSchema), required=True, validate=validate.Length(min=1, max=100))


Sections = lambda: fields.List(fields.Nested(SectionSchema), required=True,  # noqa: E731
                               validate=validate.Length(min=1, max=30))


class TemplateCreateSchema(Schema):
    name = Title(required=True)
    owner_school_id = TrustId("school", load_default=None, allow_none=True,
                              metadata={"description": "the school that owns it; null: the trust's own"})
    shared_with_school_ids = TrustIds("school", max_items=200, load_default=None, allow_none=True,
                                      metadata={"description": "for a trust form: null shares it with every school"})
    sections = Sections()


class TemplateDraftSchema(Schema):
    sections = Sections()


class VersionSummarySchema(Schema):
    id = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    published_at = UtcDateTime(allow_none=True)


class TemplateVersionSchema(VersionSummarySchema):
    row_version = fields.Integer(required=True)
    sections = fields.List(fields.Nested(SectionSchema), required=True)


class VersionNumberSchema(Schema):
    version = fields.Integer(required=True)


class TemplateSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    owner_school_id = fields.String(allow_none=True)
    shared_with = fields.List(fields.String(), allow_none=True)
    status = fields.String(required=True)
    versions = fields.List(fields.Nested(VersionSummarySchema), required=True)


class TemplateQuerySchema(PageArgs):
    school_id = TrustId("school", load_default=None, metadata={"description": "only forms usable at this school"})


class FrameworkItemInSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=16))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = Text(2000, load_default=None, allow_none=True)


class FrameworkItemsSchema(Schema):
    items = fields.List(fields.Nested(FrameworkItemInSchema), required=True, validate=validate.Length(min=1, max=200))


class FrameworkCreateSchema(FrameworkItemsSchema):
    key = fields.String(required=True, validate=[validate.Length(min=1, max=64), validate.Regexp(r"^[a-z0-9-]+$")])
    name = Title(required=True)


class FrameworkItemSchema(FrameworkItemInSchema):
    id = fields.String(required=True, metadata={"description": "the principle id, stable across versions"})


class FrameworkSchema(Schema):
    id = fields.String(required=True)
    key = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    versions = fields.List(fields.Dict(), required=True)
    items = fields.List(fields.Nested(FrameworkItemSchema), required=True)


class FrameworkQuerySchema(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1, max=10_000))


class ActionStepInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    due_on = fields.Date(load_default=None, allow_none=True)


class RecordFieldsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    observed_on = fields.Date()
    class_name = Text(100, allow_none=True)
    subject = Text(100, allow_none=True)
    year_group = Text(32, allow_none=True)
    responses = fields.Dict(keys=fields.String(validate=validate.Length(max=64)), values=fields.Raw(allow_none=True),
                            metadata={"description": "form item id -> value, checked against the form version"})
    strengths = Text(5000, allow_none=True)
    action_steps = fields.List(fields.Nested(ActionStepInSchema), validate=validate.Length(max=20))
    privacy = fields.String(validate=validate.OneOf(PRIVACY_TIERS))


class RecordCreateSchema(RecordFieldsSchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    observee_id = TrustId("person", required=True)
    school_id = TrustId("school", load_default=None, allow_none=True,
                        metadata={"description": "where it happened; needed only if the person works at several"})
    observed_on = fields.Date(required=True)
    template_version_id = TrustId("template_version", required=True)
    privacy = fields.String(required=True, validate=validate.OneOf(PRIVACY_TIERS))
    follows_up_record_id = TrustId("record", load_default=None, allow_none=True)
    completed_action_step_ids = TrustIds("action_step", max_items=20, load_default=list,
                                         metadata={"description": "earlier action steps followed up here"})
    share = fields.Boolean(load_default=False, metadata={"description": "share with the observee at once"})


class RecordSummarySchema(Schema):
    id = fields.String(required=True)
    school_id = fields.String(required=True)
    kind = fields.String(required=True)
    observer_id = fields.String(required=True)
    observee_id = fields.String(required=True)
    observed_on = fields.Date(required=True)
    subject = fields.String(allow_none=True)
    year_group = fields.String(allow_none=True)
    privacy = fields.String(required=True)
    status = fields.String(required=True)
    template_version_id = fields.String(required=True)


class RenderedItemSchema(FormItemSchema):
    response = fields.Raw(allow_none=True)
    response_label = fields.Raw(allow_none=True)


class RenderedSectionSchema(Schema):
    title = fields.String(required=True)
    items = fields.List(fields.Nested(RenderedItemSchema), required=True)


class ActionStepSchema(Schema):
    id = fields.String(required=True)
    text = fields.String(required=True)
    due_on = fields.Date(allow_none=True)
    status = fields.String(required=True)
    completed_in_record_id = fields.String(allow_none=True)


class RecordSchema(RecordSummarySchema):
    class_name = fields.String(allow_none=True)
    strengths = fields.String(allow_none=True)
    row_version = fields.Integer(required=True)
    observee_response = fields.String(allow_none=True)
    follows_up_record_id = fields.String(allow_none=True)
    shared_at = UtcDateTime(allow_none=True)
    acknowledged_at = UtcDateTime(allow_none=True)
    template = fields.Dict(required=True)
    sections = fields.List(fields.Nested(RenderedSectionSchema), required=True)
    action_steps = fields.List(fields.Nested(ActionStepSchema), required=True)
    shared_with = fields.List(fields.String(), required=True)
    names = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "names from the staff directory of the observer, the observee and those it is shared with"})


class RecordQuerySchema(PageArgs):
    observee_id = TrustId("person", load_default=None)
    observer_id = TrustId("person", load_default=None)
    school_id = TrustId("school", load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    status = fields.String(load_default=None, validate=validate.OneOf(RECORD_STATUSES))
    privacy = fields.String(load_default=None, validate=validate.OneOf(PRIVACY_TIERS))


class AcknowledgeSchema(Schema):
    response = Text(5000, load_default=None, allow_none=True, metadata={"description": "the observee's response"})


class ShareSchema(Schema):
    person_id = TrustId("person", load_default=None, metadata={"description": "the colleague; or give their email"})
    email = fields.String(load_default=None, validate=validate.Length(min=3, max=254),
                          metadata={"description": "the colleague's work email, instead of their id"})

    @validates_schema
    def _one_colleague(self, data, **_kwargs):
        if (data.get("person_id") is None) == (data.get("email") is None):
            raise ValidationError("give the colleague's person_id or their email, one of them", "person_id")


class CompleteStepSchema(Schema):
    in_record_id = TrustId("record", load_default=None, allow_none=True,
                           metadata={"description": "the follow-up record"})


class CoachingQuerySchema(Schema):
    school_id = TrustId("school", load_default=None, metadata={"description": "one school; omitted: the whole trust"})
    days = fields.Integer(load_default=365, validate=validate.Range(min=1, max=1000),
                          metadata={"description": "the recent window, in days"})


class ScoreSchema(Schema):
    person_id = fields.String(required=True)
    school_id = fields.String(required=True)
    score = fields.Float(required=True)
    ratings = fields.Integer(required=True)


class SuggestedPairSchema(Schema):
    coach_id = fields.String(required=True)
    coachee_id = fields.String(required=True)
    school_id = fields.String(required=True)
    where = fields.String(required=True, metadata={"description": "same_school or across_trust"})


class CoachingPrincipleSchema(Schema):
    principle_id = fields.String(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    suppressed = fields.Boolean(required=True, metadata={"description": "fewer people than the threshold"})
    people = fields.Integer(allow_none=True)
    mean = fields.Float(allow_none=True)
    strengths = fields.List(fields.Nested(ScoreSchema), required=True)
    development = fields.List(fields.Nested(ScoreSchema), required=True)
    pairs = fields.List(fields.Nested(SuggestedPairSchema), required=True)


class CoachingViewSchema(Schema):
    min_group_size = fields.Integer(required=True)
    principles = fields.List(fields.Nested(CoachingPrincipleSchema), required=True)


class CoachingPairInSchema(Schema):
    principle_id = TrustId("principle", required=True)
    coach_id = TrustId("person", required=True)
    coachee_id = TrustId("person", required=True)
    school_id = TrustId("school", load_default=None, allow_none=True)
    starts_on = fields.Date(load_default=None, allow_none=True)


class CoachingPairSchema(CoachingPairInSchema):
    id = fields.String(required=True)
