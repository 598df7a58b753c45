"""Observation's reads: what the API shows and what the commands look up, one module per concept.
Lists come back as statements the API pages (``canopy_kit.web.pagination.paginate``)."""
from observation.queries.coaching import coaching_view, pairs_query, person_ratings
from observation.queries.frameworks import (
    describe_framework, framework_id_by_key, framework_in_trust, framework_keys, frameworks_query,
    latest_framework_version, principle_ids_by_code, principle_titles, published_principle_ids, version_items,
)
from observation.queries.records import (
    colleague_by_email, describe_action_step, open_action_step_ids, people_names, readable_record,
    record_action_step, record_detail, shared_with, visible_records,
)
from observation.queries.templates import (
    describe_template, describe_version, latest_template_version, numbered_version, template_in_trust,
    template_version, templates_page, usable_at,
)

__all__ = [
    "coaching_view", "colleague_by_email", "describe_action_step", "describe_framework", "describe_template", "describe_version",
    "framework_id_by_key", "framework_in_trust", "framework_keys", "frameworks_query", "latest_framework_version",
    "latest_template_version", "numbered_version", "open_action_step_ids", "pairs_query", "people_names", "person_ratings",
    "principle_ids_by_code", "principle_titles", "published_principle_ids", "readable_record",
    "record_action_step", "record_detail", "shared_with", "template_in_trust", "template_version",
    "templates_page", "usable_at", "version_items", "visible_records",
]
