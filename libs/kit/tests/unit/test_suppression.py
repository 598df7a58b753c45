"""Small-group suppression on random tables: whatever is hidden, no group of fewer than the
threshold can be derived from what is shown, and nothing is hidden without need."""
from hypothesis import given, settings, strategies as st

from canopy_kit.privacy.suppression import TOTAL, hidden_cells, table
from canopy_kit.testing.disclosure import derivable_small_groups

THRESHOLD = 3


def _world(draw, rows, columns):
    """parts -> people: each part a few people of its own (some parts empty)."""
    atoms = {}
    for row in range(rows):
        for column in range(columns):
            count = draw(st.sampled_from((0, 0, 1, 2, 3, 4, 6)))
            if count:
                atoms[(f"s{row}", f"t{column}")] = {f"s{row}t{column}p{i}" for i in range(count)}
    return atoms


def _answers(atoms, hidden, row_totals):
    """Every visible cell as the parts it adds up, the totals included."""
    cells: dict = {}
    for (row, column), people in atoms.items():
        keys = [(row, column), (TOTAL, column)] + ([(row, TOTAL), (TOTAL, TOTAL)] if row_totals else [])
        for key in keys:
            cells.setdefault(key, [set(), set()])
            cells[key][0].add((row, column))
            cells[key][1] |= people
    return cells, [parts for key, (parts, _) in cells.items() if key not in hidden]


@st.composite
def tables(draw):
    row_totals = draw(st.booleans())
    atoms = _world(draw, draw(st.integers(1, 5)), draw(st.integers(1, 4)))
    return atoms, row_totals


@settings(max_examples=300, deadline=None, database=None)
@given(tables())
def test_no_small_group_is_derivable_from_the_cells_shown(world):
    atoms, row_totals = world
    cells, _ = _answers(atoms, set(), row_totals)
    hidden = hidden_cells(table({key: len(people) for key, (_, people) in cells.items()}, row_totals=row_totals),
                          THRESHOLD)
    assert all(len(cells[key][1]) >= THRESHOLD for key in cells if key not in hidden and len(cells[key][1]))
    _, shown = _answers(atoms, hidden, row_totals)
    assert derivable_small_groups(atoms, shown, THRESHOLD) == []


def test_a_lone_small_school_takes_the_smallest_school_that_is_large_enough_as_its_complement():
    people = {("ash", "p"): 5, ("birch", "p"): 4, ("cedar", "p"): 2, (TOTAL, "p"): 11}
    assert hidden_cells(table(people, row_totals=False), 3) == {("cedar", "p"), ("birch", "p")}


def test_nothing_is_hidden_where_every_group_is_large_enough_and_zero_is_shown():
    people = {("ash", "p"): 5, ("birch", "p"): 0, (TOTAL, "p"): 5, ("ash", TOTAL): 5, (TOTAL, TOTAL): 5}
    assert hidden_cells(table(people, row_totals=True), 3) == set()


def test_in_a_two_way_table_a_small_part_is_closed_by_parts_before_totals():
    # Ash's course (2 people) is small; Ash's total, the course's trust row and the grand total stay.
    people = {("ash", "course"): 2, ("ash", "inset"): 6, ("birch", "course"): 5, ("birch", "inset"): 7,
              ("ash", TOTAL): 8, ("birch", TOTAL): 12, (TOTAL, "course"): 7, (TOTAL, "inset"): 13,
              (TOTAL, TOTAL): 20}
    hidden = hidden_cells(table(people, row_totals=True), 3)
    assert hidden == {("ash", "course"), ("ash", "inset"), ("birch", "course"), ("birch", "inset")}
