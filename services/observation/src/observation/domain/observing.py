"""Who may observe whom, and who may read a record, given the facts ``observation.access`` looks up.

- Observing: never oneself; only at a school where the caller may observe the person today (the
  record is made there); where there are several, the caller says which.
- Reading: the observer always; nobody else while it is a draft; then the observee and whom they
  shared it with. A developmental record stops there, whatever anyone's role. A reportable one is
  also read by those whose windows (a school and a period) cover where and when it was made.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, Protocol

from canopy_kit.errors import Forbidden, Invalid
from observation.domain.records import DRAFT, REPORTABLE, RecordFacts


def observation_school(observer_id: str, observee_id: str, observable: set[str], asked: str | None) -> str:
    """The school a record is made at: ``asked`` if given, else the one school in ``observable``
    (where the observer may observe the observee today), or why not."""
    if observee_id == observer_id:
        raise Invalid.on("observee_id", "you cannot observe yourself")
    if asked is not None:
        if asked not in observable:
            raise Forbidden("you may not observe this person at that school",
                            errors={"school_id": ["not a school where you may observe this person today"]})
        return asked
    if not observable:
        raise Forbidden("you may not observe this person")
    if len(observable) > 1:
        raise Invalid.on("school_id", "the person works at several schools: say which")
    return next(iter(observable))


class Window(Protocol):
    school_id: str

    def contains(self, day: date) -> bool: ...


class MadeRecord(RecordFacts, Protocol):
    school_id: str
    observed_on: date


def may_read(reader_id: str, record: MadeRecord, shared_with: set[str],
             windows: Callable[[], Iterable[Window] | None]) -> bool:
    """``windows()`` gives the reader's windows on the observee (None: no limit); it is asked only
    for a reportable record the reader has no part in, since working it out reads the directory."""
    if record.observer_id == reader_id:
        return True
    if record.status == DRAFT:
        return False
    if record.observee_id == reader_id or reader_id in shared_with:
        return True
    if record.privacy != REPORTABLE:
        return False
    periods = windows()
    return periods is None or any(p.school_id == record.school_id and p.contains(record.observed_on)
                                  for p in periods)
