"""Finding the programs the production topology runs that are not Python (nginx, Prometheus):
Debian installs them in sbin folders, which a non-root user's PATH often lacks."""
from __future__ import annotations

import os
import shutil

SYSTEM_FOLDERS = ("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")


def find_tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(SYSTEM_FOLDERS))
