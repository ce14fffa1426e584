"""Where the continuity packs are kept: MEDIA_ROOT/continuity/, a storage without a URL.

The packs hold the health data of a whole unit: they must never be reachable through the media or
static URL. Downloads go through the view that checks the right and writes the access log.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under MEDIA_ROOT/continuity, read from the settings when first used (a test's
    MEDIA_ROOT is honoured), with no base URL: `url()` raises rather than exposing a path."""

    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "continuity")

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Les plans de continuité ne sont pas servis par une URL de fichier.")


private_storage = PrivateStorage()
