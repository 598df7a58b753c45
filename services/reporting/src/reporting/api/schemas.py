"""What the report endpoints take and give. Every row names its school (``all`` is the trust as a
whole); a blanked row (``suppressed``) has its people and figures set to null."""
from marshmallow import Schema, fields, validate

from canopy_contracts.events.identity import PHASES
from canopy_contracts.events.portfolio import ACTIVITY_TYPES, STAGES
from canopy_kit.web.ids import TrustId
from reporting.domain.requests import SHOWN_STATUSES

Share = lambda **kw: fields.Float(allow_none=True, **{"metadata": {"description": "0 to 1"}, **kw})  # noqa: E731
Count = lambda **kw: fields.Integer(allow_none=True, **kw)  # noqa: E731


class ReportQuerySchema(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "academic year by its first calendar year (2025 is 2025-26); "
                                                   "default: the current one"})
    school_id = TrustId("school", load_default=None)
    phase = fields.String(load_default=None, validate=validate.OneOf(PHASES))
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "csv: the rows as a spreadsheet file (for governors)"})


class SchoolRowSchema(Schema):
    class Meta:
        ordered = True

    school_id = fields.String(required=True, metadata={"description": "a school's id, `all` or `none`"})
    school_name = fields.String(required=True)
    phase = fields.String(allow_none=True)
    suppressed = fields.Boolean(required=True, metadata={"description": "fewer people than the threshold"})
    people = Count(metadata={"description": "distinct people the row counts"})


class ObservationRowSchema(SchoolRowSchema):
    principle_id = fields.String(required=True)
    code = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    ratings = Count()
    mean = Share(metadata={"description": "mean normalised rating, 0 to 1"})
    strong_share = Share()
    developing_share = Share()


class CpdRowSchema(SchoolRowSchema):
    activities = Count()
    hours = fields.Float(allow_none=True)
    cost = fields.Float(allow_none=True)
    cover = Count(metadata={"description": "activities that needed cover"})
    external_share = Share()
    hours_per_person = fields.Float(allow_none=True)


class CpdTypeRowSchema(SchoolRowSchema):
    activity_type = fields.String(required=True, validate=validate.OneOf(ACTIVITY_TYPES))
    activities = Count()
    hours = fields.Float(allow_none=True)
    cost = fields.Float(allow_none=True)


class ImpactRowSchema(SchoolRowSchema):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    evaluations = Count()
    reaction = fields.Float(allow_none=True, metadata={"description": "mean, 1 to 5"})
    learning = fields.Float(allow_none=True)
    use_in_practice = fields.Float(allow_none=True)
    pupil_outcomes = fields.Float(allow_none=True)


class CpdRequestRowSchema(SchoolRowSchema):
    status = fields.String(required=True, validate=validate.OneOf(SHOWN_STATUSES),
                           metadata={"description": "pending or declined (an approved request is a CPD activity, "
                                                    "in the CPD reports); a withdrawn request is still pending "
                                                    "here: portfolio publishes no withdrawal"})
    requests = Count()
    cost_asked = fields.Float(allow_none=True)


class ParticipationRowSchema(SchoolRowSchema):
    staff = Count(metadata={"description": "people employed at some point of the year"})
    observed = Count(metadata={"description": "staff with a reportable observation this year"})
    observed_share = Share()
    records = Count()
    open_action_steps = Count()
    with_cpd = Count(metadata={"description": "staff who recorded CPD this year"})
    cpd_share = Share()


def report_schema(row_schema: type[Schema]) -> type[Schema]:
    return type(row_schema.__name__.replace("Row", "Report"), (Schema,), {
        "report": fields.String(required=True),
        "year": fields.Integer(required=True),
        "year_label": fields.String(required=True, metadata={"example": "2025-26"}),
        "min_group_size": fields.Integer(required=True),
        "rows": fields.List(fields.Nested(row_schema), required=True),
    })
