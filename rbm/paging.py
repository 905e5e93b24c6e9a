"""Sequences of rows for Django's paginator (pages and the API) that read a page without
counting or sorting more than they must.

Django's ``Paginator`` (and DRF's page-number pagination, which uses it) counts with
``len()`` when ``count`` takes an argument, as ``Sequence.count`` does, and takes a page with
a slice: these classes give it both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, Generic, TypeVar, overload

from django.db.models import Count, QuerySet

Row = TypeVar("Row")


class CountedRows(Sequence[dict[str, Any]]):
    """Rows to paginate (a ``values()`` queryset reading columns of related tables), counted
    on the queryset they come from: the count then has none of the joins the rows need.

    Django counts a ``values()`` queryset with its joins; for the CPO list at scale 100 that
    made the count 35 ms instead of 3.
    """

    ordered = True

    def __init__(self, queryset: QuerySet[Any], rows: QuerySet[Any]) -> None:
        self.queryset = queryset
        self.rows = rows

    @overload
    def __getitem__(self, key: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, key: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, key: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(key, slice):
            return list(self.rows[key])
        row: dict[str, Any] = self.rows[key]
        return row

    def __len__(self) -> int:
        return self.queryset.count()


class GroupedSlices(Sequence[Row], Generic[Row]):
    """The rows of ``queryset`` ordered by group (``groups``, the values of ``group`` in the
    order wanted), then by ``within``, which an index on (group, within...) gives.

    Sorting by the group's position would sort every row (the CPO list of every biennium,
    ordered by the biennium's start year: 600,000 rows at scale 100). Here the count is one
    query grouped by ``group``, and a page is read from the groups it spans, each with an
    index scan: one query for a page inside a group, one more for each group boundary it
    crosses. ``read`` turns a slice of the queryset into rows (instances, ``values()``...).
    """

    ordered = True

    def __init__(
        self,
        queryset: QuerySet[Any],
        *,
        group: str,
        groups: Sequence[Any],
        within: Sequence[str],
        read: Callable[[QuerySet[Any]], list[Row]],
    ) -> None:
        self.queryset = queryset
        self.group = group
        self.groups = groups
        self.within = within
        self.read = read

    @cached_property
    def sizes(self) -> list[tuple[Any, int]]:
        """(group, number of rows) for each group with rows, in the groups' order."""
        counted = dict(self.queryset.order_by().values_list(self.group).annotate(rows=Count("*")))
        return [(group, counted[group]) for group in self.groups if counted.get(group)]

    def __len__(self) -> int:
        return sum(size for _group, size in self.sizes)

    @overload
    def __getitem__(self, key: int) -> Row: ...

    @overload
    def __getitem__(self, key: slice) -> list[Row]: ...

    def __getitem__(self, key: int | slice) -> Row | list[Row]:
        if isinstance(key, int):
            found = self[key : key + 1] if key >= 0 else self[len(self) + key :][:1]
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop, step = key.indices(len(self))
        if step != 1:
            raise ValueError("GroupedSlices takes slices without a step")
        rows: list[Row] = []
        first = 0  # the position of the group's first row
        for group, size in self.sizes:
            low, high = max(start - first, 0), min(stop - first, size)
            if low < high:
                part = self.queryset.filter(**{self.group: group}).order_by(*self.within)
                rows += self.read(part[low:high])
            first += size
            if first >= stop:
                break
        return rows
