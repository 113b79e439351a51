"""Members' pictures served from MEDIA_ROOT, when no proxy or object storage serves them.

Their file names hold a digest of their content (``members/pictures.py``): a changed picture gets
a new name, so a name can be cached for a year by browsers and proxies alike.
"""

from django.conf import settings
from django.views.decorators.http import require_safe
from django.views.static import serve

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    return response
