"""gunicorn's settings, read from the working directory (the image's and the benchmarks').

The application is loaded once in the master and its objects are frozen out of the garbage
collector before the workers fork: a full collection then scans only what requests create,
which took the CPO list's 95th percentile at scale 100 from about 120 ms to about 50 ms
(see ADR 0009 and BENCHMARKS.md). The workers also share those pages copy-on-write.
"""

from __future__ import annotations

import gc
from typing import Any

preload_app = True


def pre_fork(server: Any, worker: Any) -> None:
    gc.collect()
    gc.freeze()
