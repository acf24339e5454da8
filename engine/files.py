"""Writing a file so that readers see the old version or the new one, never half of one."""

import os
import tempfile


def atomic_write(path, write):
    """Call `write(file)` on a temporary file beside `path` (opened "wb"), then rename it over
    `path` in one step (`os.replace`). If `write` fails, the temporary file goes and `path`
    is untouched; if the process dies, a `.tmp` file may stay, which nothing reads."""
    handle, temp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp",
                                    dir=os.path.dirname(path) or ".")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
