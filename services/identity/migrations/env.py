from canopy_kit.db.migrations import run_env
from identity.tables import metadata

run_env(metadata)
