"""Form templates and their versions as the API shows them, and the lookups their commands make."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.db.rows import row_in_trust
from canopy_kit.errors import NotFound
from observation.domain.templates import ACTIVE, available_at
from observation.tables import from_json, template_versions, templates


def template_in_trust(session: Session, trust_id: str, template_id: str) -> Row:
    return row_in_trust(session, templates, template_id, trust_id, "template")


def template_version(session: Session, version_id: str) -> Row:
    """A form version by its id (a record's always exists: records keep theirs)."""
    return session.execute(select(template_versions).where(template_versions.c.id == version_id)).one()


def latest_template_version(session: Session, template_id: str) -> Row | None:
    return session.execute(select(template_versions).where(template_versions.c.template_id == template_id)
                           .order_by(template_versions.c.version.desc()).limit(1)).first()


def usable_at(row, school_id: str) -> bool:
    """May the template (its row) be used at this school?"""
    return available_at(row.owner_school_id, from_json(row.shared_with), school_id)


def describe_template(session: Session, row) -> dict[str, Any]:
    versions = session.execute(select(template_versions).where(template_versions.c.template_id == row.id)
                               .order_by(template_versions.c.version)).all()
    return {"id": row.id, "name": row.name, "owner_school_id": row.owner_school_id,
            "shared_with": from_json(row.shared_with), "status": row.status,
            "versions": [{"id": v.id, "version": v.version, "status": v.status, "published_at": v.published_at}
                         for v in versions]}


def templates_page(session: Session, trust_id: str, school_id: str | None, page: int, page_size: int) -> dict:
    """The trust's forms (only those usable at ``school_id``, if given), newest first, one page.
    Where a form may be used is a rule over its sharing list, so the page is cut after it."""
    rows = session.execute(select(templates).where(templates.c.trust_id == trust_id)
                           .order_by(templates.c.created_at.desc(), templates.c.id)).all()
    if school_id:
        rows = [r for r in rows if r.status == ACTIVE and usable_at(r, school_id)]
    return {"items": [describe_template(session, r) for r in rows[(page - 1) * page_size: page * page_size]],
            "page": page, "page_size": page_size, "total": len(rows)}


def describe_version(version) -> dict[str, Any]:
    return {"id": version.id, "version": version.version, "status": version.status,
            "published_at": version.published_at, "row_version": version.row_version,
            "sections": from_json(version.definition)["sections"]}


def numbered_version(session: Session, template_id: str, number: int) -> Row:
    row = session.execute(select(template_versions).where(
        template_versions.c.template_id == template_id, template_versions.c.version == number)).first()
    if row is None:
        raise NotFound("no such version")
    return row
