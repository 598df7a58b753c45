"""Form templates and their versions.

Editing never changes a published version: it makes (or updates) the one draft version above it.
Publishing the draft makes it what new records use; records made on older published versions keep
them, and older published versions stay usable (``observation.domain.templates``). Retiring the
template stops every version being used for new records.
"""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row

from canopy_kit.db.rows import new_id, now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Conflict, Invalid, NotFound
from observation import queries
from observation.domain import forms
from observation.domain.drafts import check_row_version
from observation.domain.templates import (
    ACTIVE, DRAFT, PUBLISHED, RETIRED, check_editable, check_publishable, check_sharing, check_usable,
)
from observation.tables import from_json, template_versions, templates, to_json


def _check(uow: UnitOfWork, trust_id: str, definition: dict) -> None:
    forms.check_definition(definition)
    unknown = forms.principle_ids(definition) - queries.published_principle_ids(uow.session, trust_id)
    if unknown:
        raise Invalid.on("sections", f"links to principles that are not in a published framework: "
                                     f"{', '.join(sorted(unknown))}")


def create_template(uow: UnitOfWork, *, trust_id: str, name: str, owner_school_id: str | None,
                    shared_with: list[str] | None, definition: dict, actor_id: str) -> str:
    check_sharing(owner_school_id, shared_with)
    _check(uow, trust_id, definition)
    template_id = new_id()
    uow.session.execute(insert(templates).values(
        id=template_id, trust_id=trust_id, name=name, owner_school_id=owner_school_id,
        shared_with=None if shared_with is None else to_json(sorted(shared_with)), status=ACTIVE,
        created_by=actor_id, created_at=now()))
    _new_draft(uow, trust_id, template_id, 1, definition)
    return template_id


def _new_draft(uow: UnitOfWork, trust_id: str, template_id: str, number: int, definition: dict) -> None:
    uow.session.execute(insert(template_versions).values(
        id=new_id(), trust_id=trust_id, template_id=template_id, version=number, status=DRAFT,
        definition=to_json(definition), row_version=1, created_at=now()))


def save_draft(uow: UnitOfWork, *, trust_id: str, template_id: str, definition: dict,
               expected_row_version: int | None) -> tuple[int, int]:
    """Edit the draft, or start one above the published version; returns (version, row version)."""
    template = row_in_trust(uow.session, templates, template_id, trust_id, "template", lock=True)
    check_editable(template.status)
    _check(uow, trust_id, definition)
    latest = queries.latest_template_version(uow.session, template_id)
    if latest.status != DRAFT:
        _new_draft(uow, trust_id, template_id, latest.version + 1, definition)
        return latest.version + 1, 1
    check_row_version(latest.row_version, expected_row_version)
    saved = uow.session.execute(
        update(template_versions).where(template_versions.c.id == latest.id,
                                        template_versions.c.row_version == latest.row_version)
        .values(definition=to_json(definition), row_version=latest.row_version + 1))
    if saved.rowcount != 1:
        raise Conflict("someone else saved the draft at the same time; reload it and try again")
    return latest.version, latest.row_version + 1


def publish_template(uow: UnitOfWork, *, trust_id: str, template_id: str, actor_id: str) -> int:
    template = row_in_trust(uow.session, templates, template_id, trust_id, "template", lock=True)
    latest = queries.latest_template_version(uow.session, template_id)
    check_publishable(template.status, latest.status)
    definition = from_json(latest.definition)
    _check(uow, trust_id, definition)  # a linked framework may have changed since the draft was saved
    uow.session.execute(update(template_versions).where(template_versions.c.id == latest.id)
                        .values(status=PUBLISHED, published_at=now()))
    uow.publish("observation.template.published", {
        "template_id": template_id, "template_version_id": latest.id, "version": latest.version,
        "name": template.name, "owner_school_id": template.owner_school_id,
        "shared_with": from_json(template.shared_with),
        "items": [{"item_id": i["id"], "label": i["label"], "kind": i["kind"], "principle_id": i.get("principle_id")}
                  for i in forms.items(definition)],
    }, trust_id=trust_id, school_id=template.owner_school_id, actor_id=actor_id)
    return latest.version


def retire_template(uow: UnitOfWork, *, trust_id: str, template_id: str) -> None:
    row_in_trust(uow.session, templates, template_id, trust_id, "template", lock=True)
    uow.session.execute(update(templates).where(templates.c.id == template_id).values(status=RETIRED))


def usable_version(uow: UnitOfWork, trust_id: str, version_id: str, school_id: str) -> Row:
    """The published version a new record may use at this school, or why not, naming the field."""
    version = uow.session.execute(select(template_versions).where(
        template_versions.c.id == version_id, template_versions.c.trust_id == trust_id)).first()
    if version is None:
        raise NotFound.on("template_version_id", "no such form version")
    template = row_in_trust(uow.session, templates, version.template_id, trust_id, "template")
    check_usable(version_status=version.status, template_status=template.status,
                 available=queries.usable_at(template, school_id))
    return version
