"""Observation's commands. Each writes through the unit of work it is given and records its events
in the same transaction; the caller (a request, the consumer, the demo) commits."""
from observation.commands.coaching import record_pair
from observation.commands.frameworks import (
    create_framework, draft_framework_version, ensure_national_frameworks, publish_framework,
)
from observation.commands.records import (
    acknowledge, complete_action_step, create_record, grant_access, share_record, update_draft,
)
from observation.commands.templates import create_template, publish_template, retire_template, save_draft

__all__ = [
    "acknowledge", "complete_action_step", "create_framework", "create_record", "draft_framework_version",
    "ensure_national_frameworks", "grant_access", "publish_framework", "publish_template", "record_pair",
    "retire_template", "save_draft", "share_record", "update_draft",
]
