"""The series cache: bounded, least recently used out, and never stale after a write."""

import tracker
from dashboard.app import create_app
from dashboard.web.lru import LRU
from dashboard.scalars.cache import SeriesCache
from tracker import file_state


def test_the_cache_is_bounded_by_bytes_and_drops_the_least_recently_used():
    cache = SeriesCache(max_bytes=10)
    cache.put("a", "xxxx")
    cache.put("b", "yyyy")
    assert cache.get("a") == "xxxx"  # a is now the most recently used
    cache.put("c", "zzzz")
    assert cache.get("b") is None and cache.get("a") == "xxxx" and cache.get("c") == "zzzz"
    assert cache.bytes == 8


def test_an_entry_larger_than_the_cache_is_not_kept():
    cache = SeriesCache(max_bytes=3)
    cache.put("a", "xxxx")
    assert cache.get("a") is None and cache.bytes == 0


def test_file_state_changes_with_every_flush(tmp_path):
    writer = tracker.SummaryWriter(str(tmp_path / "run"))
    writer.add_scalar("loss", 1.0, 0)
    writer.flush()
    path = tmp_path / "run" / tracker.EVENTS_FILE
    before = file_state(path)
    writer.add_scalar("loss", 0.5, 1)
    writer.flush()
    assert file_state(path) != before
    writer.close()
    assert file_state(tmp_path / "nothing") is None


def test_a_cached_series_is_refreshed_after_the_run_grows(tmp_path):
    writer = tracker.SummaryWriter(str(tmp_path / "run"))
    for step in range(5):
        writer.add_scalar("loss", float(step), step)
    writer.flush()
    client = create_app(tmp_path, {"TESTING": True}).test_client()
    url = "/api/scalars?run=run&tag=loss"
    first = client.get(url).get_json()["series"][0]
    assert client.get(url).get_json()["series"][0] == first  # served again, from memory
    writer.add_scalar("loss", 9.0, 5)
    writer.flush()
    assert client.get(url).get_json()["series"][0]["step"] == [0, 1, 2, 3, 4, 5]
    writer.close()


def test_without_a_weight_the_capacity_counts_entries():
    cache = LRU(2)
    assert cache.put("a", {"x": 1}) == {"x": 1}
    cache.put("b", 2)
    cache.get("a")
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == {"x": 1} and cache.get("c") == 3
