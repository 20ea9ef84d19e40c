"""A module's images and downloadable files, checked by their content. Pure: no Flask, no
database.

``process(data, name)`` takes the bytes of an upload (or of a file of ``courses/NN-slug/
media/``) and returns what is stored, or raises MediaProblem saying why not. Images (PNG,
JPEG, WebP) are decoded and encoded again, so that nothing but pixels is kept: no
metadata, no EXIF (its orientation applied first), no trailing bytes; they are bounded in
size, and a narrower copy is made for phones. Files (PDF, XLSX, CSV) are kept as they are
once their content is what their name says. Anything else is refused, SVG included: it can
carry script.
"""

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app.languages import N_

#: the largest upload, in bytes
MAX_BYTES = 5 * 1024 * 1024
#: the longest side of a stored image, in pixels; larger ones are scaled down
MAX_SIDE = 2400
#: the width of the phone-sized copy of a wider image
PHONE_WIDTH = 720
#: the most pixels an image may declare: past that, decoding it would take memory out of
#: all proportion to the file (a "decompression bomb"), and it is refused unread
MAX_PIXELS = 40_000_000
#: the longest file name, extension included
MAX_NAME = 100

#: Pillow's format -> content type, and the extensions a name of that format may end with
IMAGE_FORMATS = {
    "PNG": ("image/png", (".png",)),
    "JPEG": ("image/jpeg", (".jpg", ".jpeg")),
    "WEBP": ("image/webp", (".webp",)),
}
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}
IMAGE_EXTENSIONS = {ext: fmt for fmt, (_type, exts) in IMAGE_FORMATS.items() for ext in exts}
PHONE_TYPE = "image/webp"
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+$")


class MediaProblem(Exception):
    """Why an upload is refused: the message as a template (marked for the catalogue)
    and its placeholders, shown in the trainer's language or, on the command line, in
    English."""

    def __init__(self, template: str, params: dict[str, object]) -> None:
        super().__init__(template % params)
        self.template, self.params = template, params

    @property
    def text(self) -> str:
        return self.template % self.params

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Processed:
    """What is stored of an upload."""

    name: str
    kind: str  # "image" or "file"
    content_type: str
    data: bytes
    #: the phone-sized copy (WebP), for an image wider than PHONE_WIDTH
    phone: bytes | None = None
    width: int | None = None
    height: int | None = None

    @property
    def sha256(self) -> str:
        return sha256(self.data)


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def safe_name(name: str) -> str:
    """A file name that is safe in a URL and in any file system: small ASCII letters,
    digits and hyphens, then the extension in small letters ("Ảnh Bìa (1).PNG" ->
    "anh-bia-1.png"); "" when nothing of it is left."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    folded = unicodedata.normalize("NFKD", stem.replace("đ", "d").replace("Đ", "D"))
    ascii_stem = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-")
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())
    if not stem or not extension:
        return ""
    return f"{stem[: MAX_NAME - len(extension) - 1].rstrip('-')}.{extension}"


def process(data: bytes, name: str) -> Processed:
    """Check an upload by its content and make what is stored of it; raise MediaProblem
    when it is refused. ``name`` is made safe (safe_name) and must end with an extension
    that its content agrees with."""
    if len(data) > MAX_BYTES:
        raise MediaProblem(N_("the file is larger than %(most)s MB"),
                           {"most": MAX_BYTES // (1024 * 1024)})  # fmt: skip
    if not data:
        raise MediaProblem(N_("the file is empty"), {})
    safe = safe_name(name)
    if not safe:
        raise MediaProblem(N_("the file needs a name with an extension, e.g. photo.png"), {})
    extension = "." + safe.rsplit(".", 1)[1]
    if extension == ".svg":
        raise MediaProblem(N_("SVG images are not accepted, as they can hold script: "
                              "export the drawing as PNG"), {})  # fmt: skip
    if extension in IMAGE_EXTENSIONS:
        return _image(data, safe, extension)
    if extension in FILE_TYPES:
        _check_file(data, extension)
        return Processed(safe, "file", FILE_TYPES[extension], data)
    raise MediaProblem(N_("%(extension)s files are not accepted: images PNG, JPEG or WebP, "
                          "files PDF, XLSX or CSV"), {"extension": extension})  # fmt: skip


def _image(data: bytes, name: str, extension: str) -> Processed:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise MediaProblem(N_("the image declares %(width)s × %(height)s pixels, more "
                                      "than can be read safely"),
                                   {"width": width, "height": height})  # fmt: skip
            image.load()
    except MediaProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaProblem(N_("the image declares more pixels than can be read safely"),
                           {}) from None  # fmt: skip
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise MediaProblem(N_("the file is not a PNG, JPEG or WebP image, whatever its name "
                              "says"), {}) from None  # fmt: skip
    found = image.format or ""
    if IMAGE_EXTENSIONS[extension] != found:
        raise MediaProblem(N_("the image is a %(found)s: its name must end in %(extension)s"),
                           {"found": found, "extension": IMAGE_FORMATS[found][1][0]})  # fmt: skip
    pixels = _plain(ImageOps.exif_transpose(image) or image, found)
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    stored = _encode(pixels, found)
    phone = None
    if pixels.width > PHONE_WIDTH:
        small = pixels.copy()
        small.thumbnail((PHONE_WIDTH, MAX_SIDE), Image.Resampling.LANCZOS)
        phone = _encode(small, "WEBP")
    return Processed(name, "image", IMAGE_FORMATS[found][0], stored, phone, pixels.width,
                     pixels.height)  # fmt: skip


def _plain(image: Image.Image, found: str) -> Image.Image:
    """The pixels alone, in a mode the format can hold."""
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if found == "JPEG" or not transparent:
        mode = "L" if image.mode in ("1", "L", "I", "I;16", "F") else "RGB"
    else:
        mode = "LA" if image.mode in ("LA", "L") else "RGBA"
    return image.convert(mode) if image.mode != mode else image.copy()


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def _check_file(data: bytes, extension: str) -> None:
    if extension == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise MediaProblem(N_("the file is not a PDF document, whatever its name says"), {})
    elif extension == ".xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            names = []
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise MediaProblem(N_("the file is not an Excel workbook (XLSX), whatever its "
                                  "name says"), {})  # fmt: skip
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = "\0"
        if "\0" in text:
            raise MediaProblem(N_("the file is not CSV text in UTF-8: save it from the "
                                  "spreadsheet as “CSV UTF-8”"), {})  # fmt: skip
