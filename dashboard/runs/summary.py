"""What the Runs table shows for each run, built from the tracker's RunInfo (no Flask here)."""

def duration(info):
    """Seconds from start to end (finished) or to the last write (running, crashed)."""
    end = info.end_time if info.end_time is not None else info.last_write
    if info.start_time is None or end is None:
        return None
    return max(0.0, end - info.start_time)


def _scalar_tags(info):
    return [t for t in info.tags.values() if t.kind == "scalar" and t.count]


def steps(info):
    """How many steps the run logged: the point count of its most-logged scalar tag (None
    without scalars). A run that logs every 100th step of 1,000 has 10 steps, not 900."""
    counts = [t.count for t in _scalar_tags(info)]
    return max(counts) if counts else None


def last_step(info):
    """The highest step of any scalar tag, or None for a run without scalars."""
    last = [t.last_step for t in _scalar_tags(info) if t.last_step is not None]
    return max(last) if last else None


def summary(info, color):
    data = info.to_dict()
    data.update(color=color, duration=duration(info), steps=steps(info), last_step=last_step(info))
    return data
