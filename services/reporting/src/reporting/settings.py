"""Reporting's settings. It has none of its own yet: the one setting its reports depend on, the
smallest group a figure may describe (``MIN_GROUP_SIZE``), is the platform's, since every service's
aggregate views blank the same small groups. A setting only reporting reads is a field here."""
from __future__ import annotations

from dataclasses import dataclass

from canopy_kit.settings import Settings


@dataclass(frozen=True)
class ReportingSettings(Settings):
    """The platform's settings as reporting reads them; its own fields, when it has some, come
    from ``REPORTING_<FIELD>``."""
