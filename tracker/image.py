"""Images as PyTorch's add_image and add_images take them, encoded as PNG with Pillow.

An image's axes are named by ``dataformats`` (N, C, H, W: "CHW", "HWC", "HW", "NCHW", ...);
uint8 pixels are stored as they are, any other type is taken as [0, 1] and scaled by 255,
clipped and truncated to uint8, as PyTorch does (NaN becomes 0). A batch is tiled into one
PNG, at most GRID_COLUMNS images to a row, as PyTorch's make_grid lays it out.
"""

import io

import numpy as np

from .arrays import as_array

GRID_COLUMNS = 8
_CHANNELS = (1, 3, 4)  # grey, RGB, RGBA


def _check_formats(tag, dataformats, batch):
    allowed = "NCHW" if batch else "CHW"
    if not isinstance(dataformats, str):
        raise TypeError(f"dataformats for image '{tag}' must be a str such as "
                        f"{'NCHW' if batch else 'CHW'}, got {type(dataformats).__name__}")
    formats = dataformats.upper()
    if (len(set(formats)) != len(formats) or not set(formats) <= set(allowed)
            or not {"H", "W"} <= set(formats) or batch != ("N" in formats)):
        examples = "NCHW, NHWC or NHW" if batch else "CHW, HWC or HW"
        raise ValueError(f"dataformats for image '{tag}' must name the axes {allowed} "
                         f"({examples}), got {dataformats!r}")
    return formats


def to_nhwc(tag, img_tensor, dataformats, batch=False):
    """The images as a uint8 array (N, H, W, C) with C in 1, 3, 4."""
    formats = _check_formats(tag, dataformats, batch)
    array = as_array(tag, img_tensor, "img_tensor", kind="image")
    if array.ndim != len(formats):
        raise ValueError(f"img_tensor for image '{tag}' has rank {array.ndim} (shape "
                         f"{array.shape}), but dataformats {dataformats!r} needs rank {len(formats)}")
    for axis in "NC":
        if axis not in formats:
            array, formats = array[np.newaxis], axis + formats
    array = array.transpose([formats.index(axis) for axis in "NHWC"])
    if 0 in array.shape:
        raise ValueError(f"img_tensor for image '{tag}' is empty: its shape as NHWC is {array.shape}")
    if array.shape[3] not in _CHANNELS:
        raise ValueError(f"img_tensor for image '{tag}' has {array.shape[3]} channels; "
                         "an image has 1 (grey), 3 (RGB) or 4 (RGBA)")
    if array.dtype != np.uint8:
        scaled = np.nan_to_num(array.astype(np.float32) * 255, nan=0.0)
        array = np.clip(scaled, 0, 255, out=scaled).astype(np.uint8)
    return array


def grid(images):
    """(pixels (H, W, C), columns): the images tiled GRID_COLUMNS to a row, row by row."""
    count, height, width, channels = images.shape
    columns = min(count, GRID_COLUMNS)
    if count == 1:
        return images[0], 1
    rows = -(-count // columns)
    canvas = np.zeros((rows, columns, height, width, channels), np.uint8)
    canvas.reshape(rows * columns, height, width, channels)[:count] = images
    return canvas.transpose(0, 2, 1, 3, 4).reshape(rows * height, columns * width, channels), columns


def encode_png(pixels):
    """PNG bytes of (H, W, C) uint8 pixels."""
    from PIL import Image  # on first use: a writer of scalars alone never pays its import

    # fromarray reads the mode from the shape: L, RGB or RGBA
    picture = Image.fromarray(np.ascontiguousarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def image_columns(tag, img_tensor, dataformats, batch=False):
    """The value columns of a schema.ImageRow (png to columns)."""
    images = to_nhwc(tag, img_tensor, dataformats, batch)
    pixels, columns = grid(images)
    height, width, channels = pixels.shape
    return encode_png(pixels), width, height, channels, len(images), columns


def decode_image(encoded, tag=None):
    """(H, W, C) uint8 pixels (C in 1, 3, 4) of encoded image bytes: PNG, JPEG or any format
    Pillow reads, as TensorBoard summaries hold them; a palette or other mode becomes RGB(A).
    Bytes that are no image are a ValueError naming ``tag``."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(encoded)) as picture:
            if picture.mode not in ("L", "RGB", "RGBA"):
                rgba = "A" in picture.getbands() or picture.mode == "P"
                picture = picture.convert("RGBA" if rgba else "RGB")
            pixels = np.asarray(picture)
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"image for tag '{tag}': its {len(encoded)} bytes are not an image "
                         f"Pillow can read ({exc})") from None
    return pixels[:, :, np.newaxis] if pixels.ndim == 2 else pixels


decode_png = decode_image  # what the reader stores is PNG: the name its callers know


# -- matplotlib figures ----------------------------------------------------------------

def is_matplotlib_figure(figure):
    """Whether ``figure`` is a matplotlib Figure (told without importing matplotlib)."""
    return (type(figure).__module__.startswith("matplotlib")
            and callable(getattr(figure, "savefig", None)))


def render_figures(tag, figures, close):
    """(N, H, W, 3) uint8 pixels of matplotlib figures, drawn with the Agg backend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    images = []
    for figure in figures:
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        images.append(np.asarray(canvas.buffer_rgba())[:, :, :3].copy())
    if len({image.shape for image in images}) > 1:
        raise ValueError(f"figure for image '{tag}': the figures of a list must be of one size "
                         f"in pixels, got {sorted({image.shape[:2] for image in images})}")
    if close:
        import matplotlib.pyplot as plt

        for figure in figures:
            plt.close(figure)
    return np.stack(images)


# -- boxes drawn on an image -------------------------------------------------------------

BOX_COLOR = (255, 0, 0)


def boxes_columns(tag, img_tensor, box_tensor, rescale, dataformats, labels):
    """The value columns of a schema.ImageRow: the image scaled by ``rescale``, with each box
    of ``box_tensor`` (N x 4: x1, y1, x2, y2 in the image's pixels) drawn on it in red and
    its label, if given, written at its top left, as PyTorch's add_image_with_boxes draws."""
    from PIL import Image, ImageDraw

    (pixels,) = to_nhwc(tag, img_tensor, dataformats)
    boxes = as_array(tag, box_tensor, "box_tensor", kind="image").astype(np.float64)
    if boxes.ndim == 1 and boxes.size == 4:
        boxes = boxes[np.newaxis]
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"box_tensor for image '{tag}' must be N x 4 (x1, y1, x2, y2), "
                         f"got shape {boxes.shape}")
    if not np.isfinite(boxes).all():
        raise ValueError(f"box_tensor for image '{tag}' holds a non-finite coordinate")
    if isinstance(rescale, bool) or not isinstance(rescale, (int, float, np.number)) or not rescale > 0:
        raise ValueError(f"rescale for image '{tag}' must be a positive number, got {rescale!r}")
    if isinstance(labels, str):
        labels = [labels]
    if labels is not None and len(labels) != len(boxes):
        labels = None  # as PyTorch: labels that do not match the boxes are dropped
    picture = Image.fromarray(np.ascontiguousarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels))
    picture = picture.convert("RGB")
    if rescale != 1:
        size = (max(1, round(picture.width * rescale)), max(1, round(picture.height * rescale)))
        picture = picture.resize(size)
    draw = ImageDraw.Draw(picture)
    for i, (x1, y1, x2, y2) in enumerate(boxes * rescale):
        draw.rectangle([min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)], outline=BOX_COLOR,
                       width=2)
        if labels is not None:
            text = str(labels[i])
            left, top, right, bottom = draw.textbbox((x1, y1), text)
            draw.rectangle([left, top - (bottom - top) - 2, right + 2, top], fill=BOX_COLOR)
            draw.text((x1 + 1, top - (bottom - top) - 2), text, fill=(255, 255, 255))
    drawn = np.asarray(picture)[np.newaxis]
    return image_columns(tag, drawn, "NHWC", batch=True)
