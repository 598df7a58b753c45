"""People as the pages name them: the APIs give ids, identity's directory gives the names. A
page looks its names up once (each school's staff list, then anyone left one by one), not once
per row."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.lists import MAX_PAGES, every_item


def person_name(person: Mapping[str, Any]) -> str:
    """The name someone goes by: their preferred name where they gave one, and their family name."""
    return f"{person.get('preferred_name') or person.get('given_name', '')} {person.get('family_name', '')}".strip()


def names_of(person_ids: Iterable[str], school_ids: Iterable[str | None] = (), *,
             known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Names for ids: from the staff lists of the schools given (each read only as far as someone
    is still unnamed), then one by one for anyone not found there. Someone the caller may not look
    up stays unnamed; a service that is down fails the page. ``known`` names ("You") are used as
    given and not looked up."""
    known = dict(known or {})
    wanted = {person_id for person_id in person_ids if person_id and person_id not in known}
    names: dict[str, str] = {}
    for school_id in dict.fromkeys(school_id for school_id in school_ids if school_id):
        if not wanted - names.keys():
            break
        try:
            for person in every_item("identity", "/v1/people", {"school_id": school_id}):
                if person["id"] in wanted:
                    names[person["id"]] = person_name(person)
                    if not wanted - names.keys():
                        break
        except ApiError as error:
            if error.status >= 500:
                raise
    for person_id in wanted - names.keys():
        try:
            names[person_id] = person_name(auth.get("identity", f"/v1/people/{person_id}"))
        except ApiError as error:
            if error.status >= 500:
                raise
    return {**names, **known}


def active_staff(school_id: str | None = None, *, pages: int = MAX_PAGES) -> Iterator[dict]:
    """The directory's people (of one school, or all the caller may see), without disabled accounts."""
    return (person for person in every_item("identity", "/v1/people", {"school_id": school_id}, pages=pages)
            if person.get("status") != "disabled")
