"""Scale data for the benchmarks: the ILO's size at scale 1, and N times its country
programme outcomes (and what hangs from them) at scale N.

Scale 1: the 187 member States in five regions, 130 Decent Work Country Programmes (65
countries, one programme for 2010-15 and one for 2016-21), two frameworks with the 19
outcomes and 50 indicators each, six bienniums with targets by region, about 1,000 CPOs per
biennium with resources from two or three funding sources, four progress reports per CPO
(validated, returned, submitted, draft) and the 19 workplans of each biennium.

Everything is deterministic for a seed (same rows, same ids on an empty database) and loaded
with PostgreSQL's COPY, a chunk at a time, not one save per row. The generated rows carry no
audit history: they are not anybody's edits.

The package: ``copying`` (rows into PostgreSQL with COPY, a chunk at a time) and ``data``
(what is generated). ``python -m bench.generate_scale_data --scale N`` loads it.
"""

from __future__ import annotations

from bench.scale.copying import (
    CHUNK,
    Counts,
    ScaleDataError,
    copy_rows,
    next_id,
    reset_sequences,
)
from bench.scale.data import (
    CPOS_PER_BIENNIUM,
    GENERATED,
    OBJECTIVES,
    OUTCOMES,
    PLANS,
    PROGRAMME_COUNTRIES,
    STAMP,
    Framework,
    People,
    flush,
    generate,
)

__all__ = [
    "CHUNK",
    "CPOS_PER_BIENNIUM",
    "GENERATED",
    "OBJECTIVES",
    "OUTCOMES",
    "PLANS",
    "PROGRAMME_COUNTRIES",
    "STAMP",
    "Counts",
    "Framework",
    "People",
    "ScaleDataError",
    "copy_rows",
    "flush",
    "generate",
    "next_id",
    "reset_sequences",
]
