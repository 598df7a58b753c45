"""Frameworks as the API shows them (a version's items, every version's status), and what a form
may link to: the items of the trust's published framework versions."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.db.rows import row_in_trust
from canopy_kit.errors import NotFound
from observation.domain.frameworks import PUBLISHED
from observation.tables import framework_items, framework_versions, frameworks


def frameworks_query(trust_id: str) -> Select:
    """The trust's frameworks, national first: to be paged by the API."""
    return select(frameworks).where(frameworks.c.trust_id == trust_id).order_by(frameworks.c.kind, frameworks.c.name)


def framework_in_trust(session: Session, trust_id: str, framework_id: str) -> Row:
    return row_in_trust(session, frameworks, framework_id, trust_id, "framework")


def framework_id_by_key(session: Session, trust_id: str, key: str) -> str | None:
    return session.execute(select(frameworks.c.id).where(frameworks.c.trust_id == trust_id,
                                                         frameworks.c.key == key)).scalar()


def framework_keys(session: Session, trust_id: str) -> set[str]:
    return set(session.execute(select(frameworks.c.key).where(frameworks.c.trust_id == trust_id)).scalars())


def latest_framework_version(session: Session, framework_id: str) -> Row | None:
    return session.execute(select(framework_versions).where(framework_versions.c.framework_id == framework_id)
                           .order_by(framework_versions.c.version.desc()).limit(1)).first()


def version_items(session: Session, version_id: str) -> list[Row]:
    return session.execute(select(framework_items).where(framework_items.c.framework_version_id == version_id)
                           .order_by(framework_items.c.position)).all()


def published_principle_ids(session: Session, trust_id: str) -> set[str]:
    """Every item of a published framework version of the trust: what a form may link to."""
    return set(session.execute(
        select(framework_items.c.item_id).join(framework_versions,
                                               framework_versions.c.id == framework_items.c.framework_version_id)
        .where(framework_items.c.trust_id == trust_id, framework_versions.c.status == PUBLISHED)).scalars())


def principle_titles(session: Session, trust_id: str) -> dict[str, tuple[str, str]]:
    """Every principle (framework item) of the trust: id -> (code, title)."""
    rows = session.execute(select(framework_items.c.item_id, framework_items.c.code, framework_items.c.title)
                           .where(framework_items.c.trust_id == trust_id))
    return {row.item_id: (row.code, row.title) for row in rows}


def principle_ids_by_code(session: Session, framework_id: str) -> dict[str, str]:
    return dict(session.execute(select(framework_items.c.code, framework_items.c.item_id)
                                .where(framework_items.c.framework_id == framework_id)).all())


def describe_framework(session: Session, framework, version: int | None = None) -> dict[str, Any]:
    """The framework at ``version`` (default: its latest), with every version's status."""
    versions = session.execute(select(framework_versions).where(framework_versions.c.framework_id == framework.id)
                               .order_by(framework_versions.c.version)).all()
    chosen = next((v for v in versions if v.version == version), None) if version else versions[-1]
    if chosen is None:
        raise NotFound("no such framework version")
    return {"id": framework.id, "key": framework.key, "name": framework.name, "kind": framework.kind,
            "versions": [{"version": v.version, "status": v.status, "published_at": v.published_at} for v in versions],
            "version": chosen.version, "status": chosen.status,
            "items": [{"id": i.item_id, "code": i.code, "title": i.title, "description": i.description}
                      for i in version_items(session, chosen.id)]}
