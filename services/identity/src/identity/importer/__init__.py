"""Staff CSV import for onboarding a trust: check every row first, then apply all or nothing.

``parse`` reads and checks the file on its own; ``identity.domain.staff_import`` checks it against
the trust (``trust_state`` reads what that holds); ``apply`` writes the changes in one transaction.
Re-importing the same file changes nothing.
"""
from identity.importer.apply import ImportReport, run_import
from identity.importer.parse import COLUMNS, REQUIRED_COLUMNS

__all__ = ["COLUMNS", "ImportReport", "REQUIRED_COLUMNS", "run_import"]
