"""What a curious caller can work out from a report's answers: a test helper for every service
with aggregate views.

Each answer a caller can get (a visible figure) is the sum of some of the finest cells of the data
(``atoms``: e.g. one school and one type of activity), each about a known set of people. Adding
and subtracting answers gives exactly the linear combinations of their vectors, so a group of
atoms is derivable when its indicator vector lies in their span. ``derivable_small_groups`` lists
every group of fewer than the threshold of people that is: a correct suppression leaves none.
It is exact rational arithmetic, meant for the small worlds a property test generates.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Collection, Hashable, Iterable, Mapping


class _Span:
    """A basis in reduced row echelon form; ``contains`` reduces a vector against it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.rows: list[tuple[int, list[Fraction]]] = []  # (pivot, row)

    def _reduce(self, vector: list[Fraction]) -> list[Fraction]:
        vector = list(vector)
        for pivot, row in self.rows:
            if vector[pivot]:
                factor = vector[pivot]
                vector = [v - factor * r for v, r in zip(vector, row)]
        return vector

    def add(self, vector: list[Fraction]) -> None:
        vector = self._reduce(vector)
        pivot = next((i for i, v in enumerate(vector) if v), None)
        if pivot is None:
            return
        vector = [v / vector[pivot] for v in vector]
        self.rows = [(p, [r - row[pivot] * v for r, v in zip(row, vector)]) for p, row in self.rows]
        self.rows.append((pivot, vector))

    def contains(self, vector: list[Fraction]) -> bool:
        return not any(self._reduce(vector))


def derivable_small_groups(atoms: Mapping[Hashable, Collection[str]], answers: Iterable[Collection[Hashable]],
                           threshold: int) -> list[frozenset]:
    """The groups of atoms about fewer than ``threshold`` people (but someone) whose total the
    answers give, however combined. ``atoms``: atom -> the people it is about; ``answers``: for
    each visible figure, the atoms it adds up."""
    order = sorted(atoms, key=str)
    index = {atom: i for i, atom in enumerate(order)}
    span = _Span(len(order))
    for answer in answers:
        vector = [Fraction(0)] * len(order)
        for atom in answer:
            vector[index[atom]] = Fraction(1)
        span.add(vector)
    small = [atom for atom in order if 0 < len(atoms[atom]) < threshold]
    found = []
    for size in range(1, len(small) + 1):
        for group in combinations(small, size):
            people = set().union(*(atoms[a] for a in group))
            if len(people) >= threshold:
                continue
            vector = [Fraction(0)] * len(order)
            for atom in group:
                vector[index[atom]] = Fraction(1)
            if span.contains(vector):
                found.append(frozenset(group))
    return found
