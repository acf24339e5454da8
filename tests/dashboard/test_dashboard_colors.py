"""Run colours: by start order, distinct while the palette lasts, never reshuffled by newcomers."""

import pytest

from dashboard.runs.colors import PALETTE, assign_colors


def test_runs_take_the_palette_in_start_order():
    colors = assign_colors([("late", 3.0), ("early", 1.0), ("middle", 2.0)])
    assert colors == {"early": PALETTE[0], "middle": PALETTE[1], "late": PALETTE[2]}


def test_the_answer_does_not_depend_on_listing_order():
    runs = [("a", 1.0), ("b", 1.0), ("c", 3.0)]
    assert assign_colors(runs) == assign_colors(list(reversed(runs)))


@pytest.mark.parametrize("count", [2, 7, len(PALETTE)])
def test_runs_get_distinct_colours_while_the_palette_lasts(count):
    colors = assign_colors((f"run_{i}", float(i)) for i in range(count))
    assert len(set(colors.values())) == count


def test_the_palette_has_no_repeats():
    assert len(set(PALETTE)) == len(PALETTE)


def test_a_new_run_never_changes_the_colours_already_shown():
    old = [(f"run_{i}", float(i)) for i in range(12)]
    before = assign_colors(old)
    after = assign_colors(old + [("newcomer", 100.0), ("another", 101.0)])
    assert {name: after[name] for name in before} == before


def test_more_runs_than_colours_wrap_around():
    colors = assign_colors((f"r{i:03d}", float(i)) for i in range(len(PALETTE) + 1))
    assert colors[f"r{len(PALETTE):03d}"] == PALETTE[0]


def test_runs_without_a_start_time_come_last():
    colors = assign_colors([("<img src=x>", None), ("ünïcode/ß", float("nan")), ("a", 5.0)])
    assert colors["a"] == PALETTE[0]
    assert {colors["<img src=x>"], colors["ünïcode/ß"]} == {PALETTE[1], PALETTE[2]}
