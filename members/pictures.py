"""Members' pictures: an organization's logo or photo, checked, cleaned and stored in two sizes.

An upload must be a real PNG, JPEG or WebP image (Pillow reads it; the file name and the
browser's content type are not trusted) of at most 5 MB. It is decoded, turned upright by its
EXIF orientation, fitted whole into a square on a transparent ground (a logo is never cut) and
encoded again as WebP from its pixels alone: no EXIF (GPS included), XMP or ICC data survives.

The sizes go through Django's default storage as ``members/<pk>/<digest>-<size>.webp``, the
digest being that of the encoded pictures: a new picture has new names, so any name may be
cached for a year, and a replaced picture's files are deleted once the change is committed.
``Member.picture`` holds the digest; without one, pages show an initials badge.
"""

import hashlib
import io
import warnings

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Member

MAX_BYTES = 5 * 1024 * 1024
SIZES = (64, 256)
FORMATS = {"PNG", "JPEG", "WEBP"}
# Pillow refuses images over twice this many pixels (decompression bombs); 40 megapixels is
# more than any phone camera and decodes in well under a second.
MAX_PIXELS = 40_000_000
CHANGE_PERMISSION = "members.change_member"


def picture_name(member, size, digest=None):
    return f"members/{member.pk}/{digest or member.picture}-{size}.webp"


def picture_url(member, size):
    if not member.picture:
        return ""
    return default_storage.url(picture_name(member, size))


def read_picture(upload):
    """The image of ``upload`` (an uploaded file), or ``ValidationError`` saying what is wrong."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a picture may be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    not_a_picture = ValidationError(
        _("This file is not a PNG, JPEG or WebP picture. Please choose one of those."),
        code="invalid_image",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=sorted(FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise not_a_picture
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise not_a_picture from error
    finally:
        upload.seek(0)
    if image.format not in FORMATS:
        raise not_a_picture
    return image


def encode_sizes(image):
    """The WebP bytes of ``image`` fitted into each of ``SIZES``, from its pixels only."""
    upright = ImageOps.exif_transpose(image)
    upright = upright.convert("RGBA")
    encoded = {}
    for size in SIZES:
        fitted = ImageOps.contain(upright, (size, size), Image.Resampling.LANCZOS)
        # A new image holds nothing but pixels: no metadata can follow the upload into it.
        square = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        square.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2))
        buffer = io.BytesIO()
        square.save(buffer, "WEBP", quality=82, method=6)
        encoded[size] = buffer.getvalue()
    return encoded


def can_change_picture(user, member):
    """The owner changes their picture; ILO staff with the change permission may too."""
    return user.is_authenticated and (
        member.owner_id == user.pk or user.has_perm(CHANGE_PERMISSION)
    )


def member_picture_set(*, member, by, upload):
    """Make ``upload`` the picture of ``member``; only the owner or staff may.

    Raises ``PermissionDenied``, or ``ValidationError`` for a file that is not a PNG, JPEG or
    WebP picture of at most 5 MB: nothing is stored then. Returns the member. Sends nothing.
    """
    if not can_change_picture(by, member):
        raise PermissionDenied
    return picture_store(member=member, image=read_picture(upload))


def picture_store(*, member, image):
    """Store ``image`` (a Pillow image) as the picture of ``member``, with no permission check:
    for the demo's generated logos. Returns the member."""
    encoded = encode_sizes(image)
    digest = hashlib.sha256(b"".join(encoded[size] for size in SIZES)).hexdigest()[:20]
    stored = []
    try:
        for size, content in encoded.items():
            name = picture_name(member, size, digest)
            if not default_storage.exists(name):
                stored.append(default_storage.save(name, ContentFile(content)))
        _replace(member, digest)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return member


def member_picture_remove(*, member, by):
    """Remove the picture of ``member`` (an initials badge shows instead); owner or staff."""
    if not can_change_picture(by, member):
        raise PermissionDenied
    _replace(member, "")
    return member


def deleted(sender, instance, **kwargs):
    """Signal receiver: a deleted member's picture files go once the deletion is committed."""
    if instance.picture:
        names = [picture_name(instance, size) for size in SIZES]
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def _replace(member, digest):
    with transaction.atomic():
        old = Member.objects.select_for_update().values_list("picture", flat=True).get(pk=member.pk)
        member.picture = digest
        # save(): updated_at moves, and the directory's signals start a new generation.
        member.save(update_fields=["picture", "updated_at"])
        if old and old != digest:
            names = [picture_name(member, size, old) for size in SIZES]
            transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
