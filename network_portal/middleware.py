from django.core.exceptions import BadRequest
from django.http import Http404


class RefuseNulMiddleware:
    """A NUL character in the address is never a real page or filter value: 404 or 400.

    PostgreSQL refuses NUL in text, so a token, slug or query value carrying one would reach
    the database and fail there (a 500); this stops it before any view for every URL at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            raise BadRequest("NUL in the query string")
        return self.get_response(request)


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value
