"""The read-only open-data API of the directory: the page's filters, public fields only."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .filters import MemberFilter, with_card_relations
from .models import Member
from .serializers import MemberSerializer


class _RateFromSettings:
    """The rate read from the settings at each request, so a change of settings applies."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class VisitorThrottle(_RateFromSettings, AnonRateThrottle):
    scope = "api-visitor"


class MemberThrottle(_RateFromSettings, UserRateThrottle):
    scope = "api-member"


class MemberPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "description": "For each filter that does not validate, its error messages.",
}


@extend_schema(
    summary="List members",
    description=(
        "The members the caller may see, with the directory's filters. A filter value that "
        "does not validate answers 400 with the errors, never a wider list."
    ),
    responses={
        200: MemberSerializer(many=True),
        400: OpenApiResponse(FIELD_ERRORS, description="A filter value does not validate."),
        404: OpenApiResponse(DETAIL, description="No such page of results."),
        429: OpenApiResponse(DETAIL, description="Too many requests; see Retry-After."),
        503: OpenApiResponse(DETAIL, description="Briefly unavailable; see Retry-After."),
    },
)
class MemberListAPIView(generics.ListAPIView):
    serializer_class = MemberSerializer
    permission_classes = [AllowAny]
    throttle_classes = [VisitorThrottle, MemberThrottle]
    filter_backends = [DjangoFilterBackend]
    filterset_class = MemberFilter
    pagination_class = MemberPagination

    def get_queryset(self):
        return with_card_relations(Member.objects.visible_to(self.request.user)).prefetch_related(
            "languages"
        )
