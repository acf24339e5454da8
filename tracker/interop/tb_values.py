"""TensorBoard histograms and images as the arguments of the tracker writer's own methods."""

import io

import numpy as np


def histo_args(histo):
    """add_histogram_raw's arguments from a HistogramProto (TF1, torch, tensorboardX)."""
    return {"min": histo.min, "max": histo.max, "num": histo.num, "sum": histo.sum,
            "sum_squares": histo.sum_squares, "bucket_limits": list(histo.bucket_limit),
            "bucket_counts": list(histo.bucket)}


def tensor_histogram_args(array):
    """add_histogram_raw's arguments from the histograms plugin's ``[k, 3]`` tensor of (left edge,
    right edge, count) rows (TF2). It keeps no sum: sum and sum of squares are the buckets'
    centres times their counts."""
    array = np.asarray(array, dtype=np.float64).reshape(-1, 3)
    if not len(array):
        raise ValueError("a histogram tensor without buckets")
    left, right, counts = array.T
    centres = (left + right) / 2
    return {"min": float(left[0]), "max": float(right[-1]), "num": float(counts.sum()),
            "sum": float((centres * counts).sum()), "sum_squares": float((centres**2 * counts).sum()),
            "bucket_limits": right, "bucket_counts": counts}


def decoded_image(encoded):
    """A PNG or JPEG image as an array and its add_image dataformats ("HW" or "HWC")."""
    from PIL import Image

    with Image.open(io.BytesIO(encoded)) as img:
        if img.mode not in ("L", "RGB", "RGBA"):
            img = img.convert("RGBA" if "A" in img.getbands() or img.mode == "P" else "RGB")
        array = np.asarray(img)
    return array, ("HW" if array.ndim == 2 else "HWC")
