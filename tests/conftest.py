"""For the whole test run: luavm's on-disk caches (compiled chunks, the grammar's tables) live in
a folder of this run's own, so no test reads what an earlier run or the user's own luavm left."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "LUAVM_CACHE_DIR" not in os.environ:
    os.environ["LUAVM_CACHE_DIR"] = tempfile.mkdtemp(prefix="luavm-cache-")
    atexit.register(shutil.rmtree, os.environ["LUAVM_CACHE_DIR"], True)
