from django.http import Http404


class RefuseNulMiddleware:
    """A NUL character in the path is never a real page: 404, for every URL at once.

    PostgreSQL refuses NUL in text, so a token or slug carrying one would reach the database and
    fail there (a 500). Query values are left to the filter forms, which refuse NUL as an invalid
    value (DESIGN.md: the page shows the error, the API and the export answer 400).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        return self.get_response(request)
