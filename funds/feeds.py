from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .filters import FundCallFilter
from .models import FundCall

FEED_SIZE = 100


class FundCallFeed(Feed):
    """RSS of the calls selected by the same filters as /funds/, by deadline."""

    title = gettext_lazy("Skills Innovation Network: funding opportunities")
    description = gettext_lazy("Fund calls curated by the ILO and the Core Group.")

    def get_object(self, request, *args, **kwargs):
        return FundCallFilter(
            request.GET,
            queryset=FundCall.objects.prefetch_related("categories"),
            request=request,
        )

    def link(self, filterset):
        return reverse("funds:list")

    def items(self, filterset):
        return filterset.results[:FEED_SIZE]

    def item_title(self, call):
        return f"{call.title} ({call.funder})"

    def item_description(self, call):
        deadline = call.deadline_in_funder_zone
        closes = _("Deadline: %(date)s (%(zone)s)") % {
            "date": deadline.strftime("%Y-%m-%d %H:%M"),
            "zone": call.deadline_time_zone,
        }
        return f"{closes}\n\n{call.description}"

    def item_link(self, call):
        return call.get_absolute_url()

    def item_guid(self, call):
        return f"fundcall-{call.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, call):
        return call.published_at

    def item_updateddate(self, call):
        return call.updated_at

    def item_categories(self, call):
        return [category.slug for category in call.categories.all()]
