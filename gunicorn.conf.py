"""gunicorn's settings, read from the working directory (the image's and the benchmarks').

The application is loaded once in the master and its objects are frozen out of the garbage
collector before the workers fork: a full collection then scans only what requests create,
which took the CPO list's 95th percentile at scale 100 from about 120 ms to about 50 ms
(see ADR 0009 and BENCHMARKS.md). The workers also share those pages copy-on-write.

Each worker then collects its young objects every 10,000 allocations instead of Python's 700.
A page of 50 CPOs allocates tens of thousands of objects, mostly freed by the end of the
request; with the default, every few requests ended in a full collection of everything the
worker had made since it forked, 50 to 150 ms each. With the higher threshold full
collections are about 14 times rarer: the CPO list's 95th percentile under wrk went from
59-67 ms to 30-34 ms, in alternating runs (bench/history.md).
"""

from __future__ import annotations

import gc
from typing import Any

preload_app = True


def pre_fork(server: Any, worker: Any) -> None:
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    gc.set_threshold(10_000, 10, 10)
