"""Observation's settings. It has none of its own yet: what it reads (the database, the bus, tokens,
and the smallest group the coaching view may describe, ``MIN_GROUP_SIZE``) is the platform's
(``canopy_kit.settings``), since every service's aggregate views blank the same small groups. A
setting only observation reads is a field here."""
from __future__ import annotations

from dataclasses import dataclass

from canopy_kit.settings import Settings


@dataclass(frozen=True)
class ObservationSettings(Settings):
    """The platform's settings as observation reads them; its own fields, when it has some, come
    from ``OBSERVATION_<FIELD>``."""
