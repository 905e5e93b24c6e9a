"""The SQL floor of the implementation report: the fewest plain SQL queries that compute the
same figures (targets by region, results by indicator, region and country, planned and spent
money by outcome and source, P&B budgets, demand and targets by outcome and region, and the
programmes annex by programme, outcome and indicator), run one after the other on one
connection. Whatever the report does beyond this (framework texts, strategies, mid-term
reviews, JSON, hashing, storing the snapshot) is its overhead over the floor."""

from __future__ import annotations

import time

import psycopg2

# A CPO's reports are for its biennium's periods: saying so lets PostgreSQL use the partial
# indexes on validated reports, as the report's own queries do.
PERIODS = "(SELECT id FROM dwcp_reportingperiod WHERE biennium_id = %(b)s)"
VALIDATED_RESULT = f"""c.id IN (SELECT r.cpo_id FROM dwcp_progressreport r
    WHERE r.period_id IN {PERIODS} AND r.review_state = 'validated' AND r.result_claimed)"""

QUERIES = {
    "targets": """
        SELECT i.id, t.total, rt.region_id, rt.value
        FROM strategic_plans_indicator i
        JOIN strategic_plans_target t ON t.indicator_id = i.id AND t.biennium_id = %(b)s
        LEFT JOIN strategic_plans_regionaltarget rt ON rt.target_id = t.id""",
    "results": f"""
        SELECT c.indicator_id, co.region_id, co.alpha3, count(*)
        FROM dwcp_countryprogrammeoutcome c
        JOIN dwcp_decentworkcountryprogramme p ON p.id = c.programme_id
        JOIN rbm_country co ON co.id = p.country_id
        WHERE c.biennium_id = %(b)s AND c.indicator_id IS NOT NULL AND {VALIDATED_RESULT}
        GROUP BY 1, 2, 3""",
    "resources": """
        SELECT c.outcome_id, m.funding_source_id, sum(m.planned), sum(m.spent)
        FROM dwcp_cporesource m JOIN dwcp_countryprogrammeoutcome c ON c.id = m.cpo_id
        WHERE c.biennium_id = %(b)s GROUP BY 1, 2""",
    "budgets": """
        SELECT outcome_id, funding_source_id, amount FROM strategic_plans_outcomeresource
        WHERE biennium_id = %(b)s""",
    "demand and targets": """
        SELECT c.outcome_id, co.region_id, count(*) FILTER (WHERE c.prioritized),
               count(*) FILTER (WHERE c.targeted)
        FROM dwcp_countryprogrammeoutcome c
        JOIN dwcp_decentworkcountryprogramme p ON p.id = c.programme_id
        JOIN rbm_country co ON co.id = p.country_id
        WHERE c.biennium_id = %(b)s GROUP BY 1, 2""",
    "programmes annex": f"""
        SELECT c.programme_id, c.outcome_id, c.indicator_id, count(*),
               count(*) FILTER (WHERE c.prioritized), count(*) FILTER (WHERE c.targeted),
               count(*) FILTER (WHERE {VALIDATED_RESULT})
        FROM dwcp_countryprogrammeoutcome c WHERE c.biennium_id = %(b)s GROUP BY 1, 2, 3""",
    "programmes money": """
        SELECT c.programme_id, m.funding_source_id, sum(m.planned), sum(m.spent)
        FROM dwcp_cporesource m JOIN dwcp_countryprogrammeoutcome c ON c.id = m.cpo_id
        WHERE c.biennium_id = %(b)s GROUP BY 1, 2""",
    "people reached": f"""
        SELECT c.programme_id, sum(r.women_reached), sum(r.men_reached)
        FROM dwcp_progressreport r JOIN dwcp_countryprogrammeoutcome c ON c.id = r.cpo_id
        WHERE c.biennium_id = %(b)s AND r.period_id IN {PERIODS}
          AND r.review_state = 'validated' GROUP BY 1""",
}


def measure(dsn: str, biennium_start: int, repeat: int = 3) -> dict[str, float]:
    """Best of ``repeat`` runs: seconds per query and in total."""
    connection = psycopg2.connect(dsn, options="-c jit=off")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM rbm_biennium WHERE start_year = %s", [biennium_start])
            row = cursor.fetchone()
            if row is None:
                raise SystemExit(f"No biennium starting in {biennium_start} in this database.")
            biennium_id = row[0]
            best: dict[str, float] = {}
            for _ in range(repeat):
                for name, sql in QUERIES.items():
                    started = time.perf_counter()
                    cursor.execute(sql, {"b": biennium_id})
                    cursor.fetchall()
                    elapsed = time.perf_counter() - started
                    best[name] = min(best.get(name, elapsed), elapsed)
        best["total"] = sum(best.values())
        return best
    finally:
        connection.close()
