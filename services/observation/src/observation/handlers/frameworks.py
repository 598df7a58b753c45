"""Frameworks as data: a trust's teaching and learning principles, and the national standards.

A framework has numbered versions; a published version never changes. An item keeps its id (the
"principle id" forms and ratings link to) from version to version while its code stays the same,
so reports compare across versions.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from observation.db import framework_items, framework_versions, frameworks
from observation.domain.national import NATIONAL_FRAMEWORKS
from observation.handlers.common import find, new_id, now


def _latest_version(uow: UnitOfWork, framework_id: str):
    return uow.session.execute(select(framework_versions).where(framework_versions.c.framework_id == framework_id)
                               .order_by(framework_versions.c.version.desc()).limit(1)).first()


def version_items(uow: UnitOfWork, version_id: str) -> list:
    return uow.session.execute(select(framework_items).where(framework_items.c.framework_version_id == version_id)
                               .order_by(framework_items.c.position)).all()


def _write_version(uow: UnitOfWork, trust_id: str, framework_id: str, number: int, items: list[dict],
                   previous_ids: dict[str, str], status: str) -> str:
    codes = [item["code"] for item in items]
    if len(set(codes)) != len(codes):
        raise field_error("items", "every item needs its own code")
    version_id = new_id()
    uow.session.execute(insert(framework_versions).values(
        id=version_id, trust_id=trust_id, framework_id=framework_id, version=number, status=status,
        created_at=now(), published_at=now() if status == "published" else None))
    uow.session.execute(insert(framework_items), [
        {"framework_version_id": version_id, "item_id": previous_ids.get(item["code"]) or new_id(),
         "trust_id": trust_id, "framework_id": framework_id, "code": item["code"], "title": item["title"],
         "description": item.get("description"), "position": position}
        for position, item in enumerate(items)])
    return version_id


def _publish_event(uow: UnitOfWork, trust_id: str, framework, version_id: str, number: int, actor_id: str | None):
    uow.publish("observation.framework.published", {
        "framework_id": framework.id, "framework_version_id": version_id, "key": framework.key,
        "name": framework.name, "version": number,
        "items": [{"item_id": i.item_id, "code": i.code, "title": i.title} for i in version_items(uow, version_id)],
    }, trust_id=trust_id, actor_id=actor_id)


def create_framework(uow: UnitOfWork, *, trust_id: str, key: str, name: str, items: list[dict],
                     kind: str = "trust", publish: bool = False, actor_id: str | None = None) -> str:
    if uow.session.execute(select(frameworks.c.id).where(frameworks.c.trust_id == trust_id,
                                                         frameworks.c.key == key)).first():
        raise field_error("key", f"the trust already has a framework {key!r}", 409)
    framework_id = new_id()
    uow.session.execute(insert(frameworks).values(id=framework_id, trust_id=trust_id, key=key, name=name, kind=kind,
                                                  created_at=now()))
    version_id = _write_version(uow, trust_id, framework_id, 1, items, {}, "published" if publish else "draft")
    if publish:
        _publish_event(uow, trust_id, find(uow, frameworks, framework_id, trust_id, "framework"), version_id, 1,
                       actor_id)
    return framework_id


def draft_framework_version(uow: UnitOfWork, *, trust_id: str, framework_id: str, items: list[dict]) -> int:
    """A new draft from the latest version: items whose code is unchanged keep their id."""
    find(uow, frameworks, framework_id, trust_id, "framework", lock=True)
    latest = _latest_version(uow, framework_id)
    if latest.status == "draft":
        raise ApiError(409, f"version {latest.version} is still a draft: publish it first")
    previous = {item.code: item.item_id for item in version_items(uow, latest.id)}
    _write_version(uow, trust_id, framework_id, latest.version + 1, items, previous, "draft")
    return latest.version + 1


def publish_framework(uow: UnitOfWork, *, trust_id: str, framework_id: str, actor_id: str | None = None) -> int:
    framework = find(uow, frameworks, framework_id, trust_id, "framework", lock=True)
    latest = _latest_version(uow, framework_id)
    if latest.status != "draft":
        raise ApiError(409, "there is no draft to publish")
    uow.session.execute(update(framework_versions).where(framework_versions.c.id == latest.id)
                        .values(status="published", published_at=now()))
    _publish_event(uow, trust_id, framework, latest.id, latest.version, actor_id)
    return latest.version


def ensure_national_frameworks(uow: UnitOfWork, trust_id: str) -> int:
    """Give the trust the national standards (published), once; returns how many were added."""
    have = set(uow.session.execute(select(frameworks.c.key).where(frameworks.c.trust_id == trust_id)).scalars())
    added = 0
    for key, name, items in NATIONAL_FRAMEWORKS:
        if key not in have:
            create_framework(uow, trust_id=trust_id, key=key, name=name, kind="national", publish=True,
                             items=[{"code": code, "title": title} for code, title in items])
            added += 1
    return added


def published_principle_ids(uow: UnitOfWork, trust_id: str) -> set[str]:
    """Every item of a published framework version of the trust: what a form may link to."""
    return set(uow.session.execute(
        select(framework_items.c.item_id).join(framework_versions,
                                               framework_versions.c.id == framework_items.c.framework_version_id)
        .where(framework_items.c.trust_id == trust_id, framework_versions.c.status == "published")).scalars())


def describe(uow: UnitOfWork, framework, version: int | None = None) -> dict[str, Any]:
    versions = uow.session.execute(select(framework_versions).where(framework_versions.c.framework_id == framework.id)
                                   .order_by(framework_versions.c.version)).all()
    chosen = next((v for v in versions if v.version == version), None) if version else versions[-1]
    if chosen is None:
        raise ApiError(404, "no such framework version")
    return {"id": framework.id, "key": framework.key, "name": framework.name, "kind": framework.kind,
            "versions": [{"version": v.version, "status": v.status, "published_at": v.published_at} for v in versions],
            "version": chosen.version, "status": chosen.status,
            "items": [{"id": i.item_id, "code": i.code, "title": i.title, "description": i.description}
                      for i in version_items(uow, chosen.id)]}
