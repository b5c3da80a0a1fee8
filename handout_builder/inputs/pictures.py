"""The pictures a handout's sections show (`![alt](images/port.png "Caption")`), found and
checked before anything is laid out, so `check` refuses what `build` could not print.

A picture is a file of the project, or beside the handout, found as the logo is (project.py's
`confined`): never a web address, an absolute path or a way out of the project. It is read once,
through the World (so the manifest, `build --check` and `--watch` know it as an input of the
leaflets that show it), and must be what its name says: a PNG or JPEG that Pillow reads (its
header only: no more than MAX_PIXELS pixels, so a small file that unpacks into gigabytes is
refused before it is unpacked), or an SVG with a size and no text (inputs/logo.py).

What is worked out from a picture's bytes (its size, its contrast) is cached by their hash
(World.derived): a leaflet rebuilt by `--watch` does not measure unchanged pictures again.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from ..model import Picture
from ..world import World
from .fields import quoted
from .logo import _LENGTH, svg_problem
from .project import OutsideProject, confined

RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
SVG = ".svg"
MAX_PIXELS = 50_000_000  # a 50-megapixel photograph; a whole A4 page at 300 dpi is 8.7 million
MAX_BYTES = 50 * 1024 * 1024  # a picture file larger than this is refused unread
CSS_DPI = 96  # a raster's natural size: a pixel is 1/96 inch, as on the web (WeasyPrint's too)
_UNITS = {None: 0.75, "px": 0.75, "pt": 1.0, "pc": 12.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0,
          "em": 12.0, "ex": 6.0}


class PictureProblem(ValueError):
    """A picture that cannot be used; str() is the message for the author (naming the file)."""


def find_picture(written: str, folder: Path, world: World) -> Picture:
    """The picture `written` names (relative to `folder`, the handout's), read through `world` and
    checked; raise PictureProblem saying what is wrong."""
    try:
        path = confined(written, folder, [root for root in (world.root, folder) if root is not None])
    except OutsideProject as exc:
        raise PictureProblem(f"picture {exc}" if str(exc).startswith("'") else f"picture {quoted(written)} {exc}")
    suffix = path.suffix.lower()
    if suffix not in RASTER and suffix != SVG:
        raise PictureProblem(f"picture {quoted(written)} must be a PNG, JPEG or SVG file")
    from ..world import FileTooLarge

    try:
        data = world.read_bytes(path, limit=MAX_BYTES)
    except FileTooLarge as exc:
        raise PictureProblem(f"picture {quoted(written)} is {exc.size / 1024 / 1024:.0f} MB; at most "
                             f"{MAX_BYTES // 1024 // 1024} MB (resize it)") from None
    except OSError as exc:
        raise PictureProblem(f"picture {quoted(written)} cannot be read ({exc.strerror or type(exc).__name__})") from None
    if suffix == SVG:
        problem = svg_problem(data, "picture")
        if problem:
            raise PictureProblem(f"picture {quoted(written)} {problem}")
        return Picture(written=written, path=path, kind="svg", format="SVG", pixels=None, size=svg_size(data),
                       contrast=None, data=data)
    measured = world.derived((path,), measure_raster)
    if isinstance(measured, str):
        raise PictureProblem(f"picture {quoted(written)} {measured}")
    found, pixels, contrast = measured
    if found != RASTER[suffix]:
        raise PictureProblem(f"picture {quoted(written)} is a {found} image named as a {RASTER[suffix]}; "
                             f"give it the ending .{found.lower()}")
    size = (pixels[0] * 72 / CSS_DPI, pixels[1] * 72 / CSS_DPI)
    return Picture(written=written, path=path, kind="raster", format=found, pixels=pixels, size=size,
                   contrast=contrast, data=data)


def printed_size(picture: Picture, width: float, max_height: float = 1e9) -> tuple[float, float]:
    """The width and height (points) a picture is printed at in `width` points at most: never
    beyond a raster's natural size (it would blur), never taller than `max_height`."""
    natural_w, natural_h = picture.size
    if picture.kind == "raster":
        width = min(width, natural_w)
    height = width * natural_h / natural_w
    if height > max_height:
        width, height = max_height * natural_w / natural_h, max_height
    return width, height


def dpi(picture: Picture, width: float) -> float | None:
    """How many of a raster's pixels fall in each inch when it is printed `width` points wide
    (None for an SVG, which is sharp at any size)."""
    return picture.pixels[0] / (width / 72) if picture.pixels else None


def measure_raster(data: bytes) -> tuple[str, tuple[int, int], float] | str:
    """(format, (width, height) in pixels, contrast ratio) of a PNG's or JPEG's bytes, or why
    they cannot be a picture. The pixel count is judged from the header, before decoding."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            found, (width, height) = image.format, image.size
            if found not in ("PNG", "JPEG"):
                return f"is a {found} image, not a PNG or JPEG"
            if width * height > MAX_PIXELS:
                return too_many_pixels(width, height)
            if image.getexif().get(0x0112, 1) >= 5:  # stored on its side: printed upright (render/figures.py)
                width, height = height, width
            image.draft("RGB", (512, 512))  # a JPEG is decoded at a fraction of its size: enough to judge contrast
            image.load()
            contrast = _contrast(image)
    except Image.DecompressionBombError:
        return "has too many pixels to be unpacked safely; resize it"
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        return f"cannot be read as a PNG or JPEG image ({type(exc).__name__}); open it and save it again as one"
    return found, (width, height), contrast


def too_many_pixels(width: int, height: int) -> str:
    return (f"is {width} x {height} pixels ({width * height / 1e6:.0f} million); at most "
            f"{MAX_PIXELS // 1_000_000} million make a leaflet's picture (resize it)")


def _contrast(image) -> float:
    """WCAG contrast ratio between the picture's dark and light parts: the luminance of its 2nd
    and 98th percentiles (a few stray pixels do not count), on white for transparent parts."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    grey = image.convert("L")
    grey.thumbnail((256, 256))
    histogram = grey.histogram()
    total = sum(histogram)

    def percentile(share: float) -> int:
        count = 0
        for level, n in enumerate(histogram):
            count += n
            if count >= share * total:
                return level
        return 255

    def luminance(level: int) -> float:
        c = level / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    dark, light = luminance(percentile(0.02)), luminance(percentile(0.98))
    return (light + 0.05) / (dark + 0.05)


def svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's width and height in points, from its width and height, else its viewBox (in px)."""
    import xml.etree.ElementTree as ET

    root = ET.parse(io.BytesIO(data)).getroot()
    sizes = [_LENGTH.match(root.get(name, "")) for name in ("width", "height")]
    if all(sizes):
        return tuple(float(m.group(1)) * _UNITS[m.group(2)] for m in sizes)  # type: ignore[return-value]
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip())]
    return box[2] * 0.75, box[3] * 0.75

