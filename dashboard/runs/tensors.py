"""How the run page shows logged tensors (add_tensor): small ones as text, the rest by shape."""

import numpy as np

#: A tensor of at most this many elements is shown whole, as numpy prints it.
SMALL = 100


def tensor_item(item, tag):
    """JSON-able {"tag", "step", "wall_time", "dtype", "shape", "size", "text"}: ``text`` is the
    tensor as numpy prints it when it is small, else None."""
    array = item["tensor"]
    text = np.array2string(array, separator=", ", threshold=SMALL) if array.size <= SMALL else None
    return {"tag": tag, "step": item["step"], "wall_time": item["wall_time"],
            "dtype": array.dtype.name, "shape": list(array.shape), "size": int(array.size),
            "text": text}
