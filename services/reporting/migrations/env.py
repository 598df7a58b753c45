from canopy_kit.db.migrations import run_env
from reporting.db import metadata

run_env(metadata)
