"""Form templates and their versions.

Editing never changes a published version: it makes (or updates) the one draft version above it.
Publishing the draft makes it what new records use; records made on older published versions keep
them, and older published versions stay usable (a drop-in captured offline on Monday and posted on
Wednesday is still valid). Retiring the template stops every version being used for new records.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from observation.db import template_versions, templates
from observation.domain import forms
from observation.handlers.common import check_row_version, find, form_error, from_json, new_id, now, to_json
from observation.handlers.frameworks import published_principle_ids


def _check(uow: UnitOfWork, trust_id: str, definition: dict) -> None:
    try:
        forms.check_definition(definition)
    except forms.FormError as exc:
        raise form_error(exc) from None
    unknown = forms.principle_ids(definition) - published_principle_ids(uow, trust_id)
    if unknown:
        raise field_error("sections", f"links to principles that are not in a published framework: "
                                      f"{', '.join(sorted(unknown))}")


def latest_version(uow: UnitOfWork, template_id: str):
    return uow.session.execute(select(template_versions).where(template_versions.c.template_id == template_id)
                               .order_by(template_versions.c.version.desc()).limit(1)).first()


def create_template(uow: UnitOfWork, *, trust_id: str, name: str, owner_school_id: str | None,
                    shared_with: list[str] | None, definition: dict, actor_id: str) -> str:
    _check(uow, trust_id, definition)
    template_id = new_id()
    uow.session.execute(insert(templates).values(
        id=template_id, trust_id=trust_id, name=name, owner_school_id=owner_school_id,
        shared_with=None if shared_with is None else to_json(sorted(shared_with)), status="active",
        created_by=actor_id, created_at=now()))
    _new_draft(uow, trust_id, template_id, 1, definition)
    return template_id


def _new_draft(uow: UnitOfWork, trust_id: str, template_id: str, number: int, definition: dict) -> None:
    uow.session.execute(insert(template_versions).values(
        id=new_id(), trust_id=trust_id, template_id=template_id, version=number, status="draft",
        definition=to_json(definition), row_version=1, created_at=now()))


def save_draft(uow: UnitOfWork, *, trust_id: str, template_id: str, definition: dict,
               expected_row_version: int | None) -> tuple[int, int]:
    """Edit the draft, or start one above the published version; returns (version, row version)."""
    template = find(uow, templates, template_id, trust_id, "template", lock=True)
    if template.status == "retired":
        raise ApiError(409, "the template is retired")
    _check(uow, trust_id, definition)
    latest = latest_version(uow, template_id)
    if latest.status != "draft":
        _new_draft(uow, trust_id, template_id, latest.version + 1, definition)
        return latest.version + 1, 1
    check_row_version(latest.row_version, expected_row_version)
    saved = uow.session.execute(
        update(template_versions).where(template_versions.c.id == latest.id,
                                        template_versions.c.row_version == latest.row_version)
        .values(definition=to_json(definition), row_version=latest.row_version + 1))
    if saved.rowcount != 1:
        raise ApiError(409, "someone else saved the draft at the same time; reload it and try again")
    return latest.version, latest.row_version + 1


def publish_template(uow: UnitOfWork, *, trust_id: str, template_id: str, actor_id: str) -> int:
    template = find(uow, templates, template_id, trust_id, "template", lock=True)
    latest = latest_version(uow, template_id)
    if template.status == "retired" or latest.status != "draft":
        raise ApiError(409, "there is no draft to publish" if template.status != "retired" else "the template is retired")
    definition = from_json(latest.definition)
    _check(uow, trust_id, definition)  # a linked framework may have changed since the draft was saved
    uow.session.execute(update(template_versions).where(template_versions.c.id == latest.id)
                        .values(status="published", published_at=now()))
    uow.publish("observation.template.published", {
        "template_id": template_id, "template_version_id": latest.id, "version": latest.version,
        "name": template.name, "owner_school_id": template.owner_school_id,
        "shared_with": from_json(template.shared_with),
        "items": [{"item_id": i["id"], "label": i["label"], "kind": i["kind"], "principle_id": i.get("principle_id")}
                  for i in forms.items(definition)],
    }, trust_id=trust_id, school_id=template.owner_school_id, actor_id=actor_id)
    return latest.version


def retire_template(uow: UnitOfWork, *, trust_id: str, template_id: str) -> None:
    find(uow, templates, template_id, trust_id, "template", lock=True)
    uow.session.execute(update(templates).where(templates.c.id == template_id).values(status="retired"))


def available_at(template, school_id: str) -> bool:
    if template.owner_school_id is not None:
        return template.owner_school_id == school_id
    shared = from_json(template.shared_with)
    return shared is None or school_id in shared


def usable_version(uow: UnitOfWork, trust_id: str, version_id: str, school_id: str):
    """The published version a new record may use at this school, or a 4xx naming why not."""
    version = uow.session.execute(select(template_versions).where(
        template_versions.c.id == version_id, template_versions.c.trust_id == trust_id)).first()
    if version is None:
        raise field_error("template_version_id", "no such form version", 404)
    template = find(uow, templates, version.template_id, trust_id, "template")
    if version.status != "published":
        raise field_error("template_version_id", "this form version is a draft: publish it before recording on it")
    if template.status == "retired":
        raise field_error("template_version_id", "this form is retired")
    if not available_at(template, school_id):
        raise field_error("template_version_id", "this form is not shared with the record's school")
    return version


def describe_version(version) -> dict[str, Any]:
    return {"id": version.id, "version": version.version, "status": version.status,
            "published_at": version.published_at, "row_version": version.row_version,
            "sections": from_json(version.definition)["sections"]}
