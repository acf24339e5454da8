"""Run colours: stable per name, distinct while the palette lasts, never reshuffled by newcomers."""

import pytest

from dashboard.colors import PALETTE, assign_colors, home_index


def test_a_colour_depends_only_on_the_name_and_start_order():
    runs = [("a", 1.0), ("b", 2.0), ("c", 3.0)]
    assert assign_colors(runs) == assign_colors(list(reversed(runs)))


def test_a_lone_run_gets_its_home_colour():
    assert assign_colors([("linreg_lr=0.1", 5.0)]) == {"linreg_lr=0.1": PALETTE[home_index("linreg_lr=0.1")]}


@pytest.mark.parametrize("count", [2, 7, len(PALETTE)])
def test_runs_get_distinct_colours_while_the_palette_lasts(count):
    colors = assign_colors((f"run_{i}", float(i)) for i in range(count))
    assert len(set(colors.values())) == count
    assert set(colors.values()) <= set(PALETTE)


def test_a_new_run_never_changes_the_colours_already_shown():
    old = [(f"run_{i}", float(i)) for i in range(12)]
    before = assign_colors(old)
    after = assign_colors(old + [("newcomer", 100.0), ("another", 101.0)])
    assert {name: after[name] for name in before} == before


def test_more_runs_than_colours_still_get_a_palette_colour():
    colors = assign_colors((f"r{i}", float(i)) for i in range(3 * len(PALETTE)))
    assert len(colors) == 3 * len(PALETTE)
    assert set(colors.values()) == set(PALETTE)


def test_unknown_start_times_sort_last_and_odd_names_are_fine():
    colors = assign_colors([("<img src=x>", None), ("ünïcode/ß", float("nan")), ("a", 1.0)])
    assert len(set(colors.values())) == 3
