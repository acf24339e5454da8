"""TF1's file writers, `tf.summary.FileWriter` and `tf.summary.FileWriterCache`, and the
writer behind `keras.callbacks.TensorBoard`: the engine's one edge to liteboard's tracker.

The engine does no I/O itself; its summaries are values that a tracker writer stores. The
tracker is imported on first use (`tracker_writer`), never by `import engine`, so a program that
only builds and runs graphs never loads it (or SQLite).
"""

import threading

from .graph import get_default_graph


def tracker_writer(name="FileWriter"):
    """The tracker's writer class `name` ("FileWriter" or "SummaryWriter"): the one edge."""
    from tracker import writer

    return getattr(writer, name)


class FileWriterCache:
    """TF1's cache of one FileWriter per logdir, shared by the code that asks for it."""

    _writers = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir):
        """The FileWriter of `logdir`, made on first use with the default graph, as TF1's."""
        with FileWriterCache._lock:
            writer = FileWriterCache._writers.get(str(logdir))
            if writer is None:
                writer = tracker_writer()(logdir, graph=get_default_graph())
                FileWriterCache._writers[str(logdir)] = writer
            return writer

    @staticmethod
    def clear():
        """Close every cached FileWriter and forget them."""
        with FileWriterCache._lock:
            writers = list(FileWriterCache._writers.values())
            FileWriterCache._writers.clear()
        for writer in writers:
            writer.close()
