"""Frameworks as data: a trust's teaching and learning principles, and the national standards.

A framework has numbered versions; a published version never changes. An item keeps its id (the
"principle id" forms and ratings link to) from version to version while its code stays the same,
so reports compare across versions (``observation.domain.frameworks``).
"""
from __future__ import annotations

from sqlalchemy import insert, update

from canopy_kit.db.rows import new_id, now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Conflict
from observation import queries
from observation.domain.frameworks import DRAFT, PUBLISHED, check_may_draft, item_ids
from observation.domain.drafts import check_draft_to_publish
from observation.domain.national import NATIONAL_FRAMEWORKS
from observation.tables import framework_items, framework_versions, frameworks


def _write_version(uow: UnitOfWork, trust_id: str, framework_id: str, number: int, items: list[dict],
                   previous_ids: dict[str, str], status: str) -> str:
    ids = item_ids(items, previous_ids, new_id)
    version_id = new_id()
    uow.session.execute(insert(framework_versions).values(
        id=version_id, trust_id=trust_id, framework_id=framework_id, version=number, status=status,
        created_at=now(), published_at=now() if status == PUBLISHED else None))
    uow.session.execute(insert(framework_items), [
        {"framework_version_id": version_id, "item_id": item_id,
         "trust_id": trust_id, "framework_id": framework_id, "code": item["code"], "title": item["title"],
         "description": item.get("description"), "position": position}
        for position, (item, item_id) in enumerate(zip(items, ids))])
    return version_id


def _publish_event(uow: UnitOfWork, trust_id: str, framework, version_id: str, number: int, actor_id: str | None):
    uow.publish("observation.framework.published", {
        "framework_id": framework.id, "framework_version_id": version_id, "key": framework.key,
        "name": framework.name, "version": number,
        "items": [{"item_id": i.item_id, "code": i.code, "title": i.title}
                  for i in queries.version_items(uow.session, version_id)],
    }, trust_id=trust_id, actor_id=actor_id)


def create_framework(uow: UnitOfWork, *, trust_id: str, key: str, name: str, items: list[dict],
                     kind: str = "trust", publish: bool = False, actor_id: str | None = None) -> str:
    if queries.framework_id_by_key(uow.session, trust_id, key):
        raise Conflict.on("key", f"the trust already has a framework {key!r}")
    framework_id = new_id()
    uow.session.execute(insert(frameworks).values(id=framework_id, trust_id=trust_id, key=key, name=name, kind=kind,
                                                  created_at=now()))
    version_id = _write_version(uow, trust_id, framework_id, 1, items, {}, PUBLISHED if publish else DRAFT)
    if publish:
        _publish_event(uow, trust_id, row_in_trust(uow.session, frameworks, framework_id, trust_id, "framework"),
                       version_id, 1, actor_id)
    return framework_id


def draft_framework_version(uow: UnitOfWork, *, trust_id: str, framework_id: str, items: list[dict]) -> int:
    """A new draft from the latest version: items whose code is unchanged keep their id."""
    row_in_trust(uow.session, frameworks, framework_id, trust_id, "framework", lock=True)
    latest = queries.latest_framework_version(uow.session, framework_id)
    check_may_draft(latest.version, latest.status)
    previous = {item.code: item.item_id for item in queries.version_items(uow.session, latest.id)}
    _write_version(uow, trust_id, framework_id, latest.version + 1, items, previous, DRAFT)
    return latest.version + 1


def publish_framework(uow: UnitOfWork, *, trust_id: str, framework_id: str, actor_id: str | None = None) -> int:
    framework = row_in_trust(uow.session, frameworks, framework_id, trust_id, "framework", lock=True)
    latest = queries.latest_framework_version(uow.session, framework_id)
    check_draft_to_publish(latest.status)
    uow.session.execute(update(framework_versions).where(framework_versions.c.id == latest.id)
                        .values(status=PUBLISHED, published_at=now()))
    _publish_event(uow, trust_id, framework, latest.id, latest.version, actor_id)
    return latest.version


def ensure_national_frameworks(uow: UnitOfWork, trust_id: str) -> int:
    """Give the trust the national standards (published), once; returns how many were added."""
    have = queries.framework_keys(uow.session, trust_id)
    added = 0
    for key, name, items in NATIONAL_FRAMEWORKS:
        if key not in have:
            create_framework(uow, trust_id=trust_id, key=key, name=name, kind="national", publish=True,
                             items=[{"code": code, "title": title} for code, title in items])
            added += 1
    return added
