"""Attachments: images re-encoded from their pixels only; anything else is not forwarded."""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
ACCEPTED_TYPES = frozenset(ct for ct, _ in FORMATS.values())
MAX_PIXELS = 40_000_000

_CAMERA_TAGS = {0x010F, 0x0110, 0xA434, 0xA433, 0xA431, 0xA432}  # Make, Model, Lens*, BodySerialNumber
_AUTHOR_TAGS = {0x013B, 0x8298, 0x9C9D, 0xA430}  # Artist, Copyright, XPAuthor, CameraOwnerName
_COMMENT_TAGS = {0x010E, 0x9286, 0x9C9C, 0x9C9B, 0x9C9F}  # ImageDescription, UserComment, XP*
_DATETIME_TAGS = {0x0132, 0x9003, 0x9004}
_SOFTWARE_TAGS = {0x0131}


class AttachmentRejected(Exception):
    """The attachment cannot be cleaned and is not forwarded. The message is a reason code only."""


@dataclass(frozen=True, slots=True)
class CleanImage:
    content_type: str
    extension: str
    data_base64: str
    removed_metadata: tuple[str, ...]


def clean_image(data_base64: str, declared_type: str) -> CleanImage:
    """Decode, check it is an accepted image, and re-encode the pixels alone."""
    if declared_type.lower() not in ACCEPTED_TYPES:
        raise AttachmentRejected("type_not_accepted")
    try:
        raw = base64.b64decode(data_base64, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise AttachmentRejected("not_base64") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(raw))
            fmt = img.format or ""
            if fmt not in FORMATS:
                raise AttachmentRejected("format_not_accepted")
            if img.width * img.height > MAX_PIXELS:
                raise AttachmentRejected("too_large")
            removed = metadata_kinds(img)
            img.load()
            pixels = ImageOps.exif_transpose(img)  # keep what the camera meant before dropping Orientation
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise AttachmentRejected("undecodable") from exc
    content_type, ext = FORMATS[fmt]
    return CleanImage(content_type, ext, _reencode(pixels, fmt), removed)


def _reencode(img: Image.Image, fmt: str) -> str:
    # A fresh image from the pixel buffer carries no info dict: no EXIF, XMP, ICC, comments, text chunks.
    mode = img.mode
    if fmt == "JPEG" and mode not in ("RGB", "L", "CMYK"):
        img, mode = img.convert("RGB"), "RGB"
    fresh = Image.frombytes(mode, img.size, img.tobytes())
    if mode == "P":
        palette = img.getpalette()
        if palette:
            fresh.putpalette(palette)
        if "transparency" in img.info and isinstance(img.info["transparency"], int):
            fresh.info["transparency"] = img.info["transparency"]
    buf = io.BytesIO()
    options: dict[str, object] = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    fresh.save(buf, format=fmt, **options)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def metadata_kinds(img: Image.Image) -> tuple[str, ...]:
    """Which kinds of metadata the image carried (location, camera, author, ...), never their values."""
    kinds: set[str] = set()
    exif = img.getexif()
    tags = set(exif.keys())
    try:
        tags |= set(exif.get_ifd(ExifTags.IFD.Exif).keys())
    except (KeyError, ValueError, OSError):
        pass
    if ExifTags.IFD.GPSInfo in tags or _has_gps(exif):
        kinds.add("location")
    for name, group in (
        ("camera", _CAMERA_TAGS),
        ("author", _AUTHOR_TAGS),
        ("comment", _COMMENT_TAGS),
        ("datetime", _DATETIME_TAGS),
        ("software", _SOFTWARE_TAGS),
    ):
        if tags & group:
            kinds.add(name)
    if tags and not kinds:
        kinds.add("exif")
    info = img.info
    if "xmp" in info or "XML:com.adobe.xmp" in info or b"http://ns.adobe.com/xap" in _app_bytes(img):
        kinds.add("xmp")
    if info.get("icc_profile"):
        kinds.add("icc")
    if "comment" in info or getattr(img, "text", None):
        kinds.add("comment")
    if "photoshop" in info or "iptc" in info:
        kinds.add("iptc")
    return tuple(sorted(kinds))


def _has_gps(exif: Image.Exif) -> bool:
    try:
        return bool(exif.get_ifd(ExifTags.IFD.GPSInfo))
    except (KeyError, ValueError, OSError):
        return False


def _app_bytes(img: Image.Image) -> bytes:
    app = getattr(img, "applist", None) or []
    return b"".join(data for _, data in app if isinstance(data, bytes))
