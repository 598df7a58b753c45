from canopy_kit.db.migrations import run_env
from portfolio.db import metadata

run_env(metadata)
