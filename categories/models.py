from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CategoryQuerySet(models.QuerySet):
    def with_member_counts(self, members=None):
        """Annotate ``member_count``: the members in each category, or only those of ``members``.

        Counted through the reverse side of ``Member.categories``; ``members`` is a queryset of
        the members app (such as ``Member.objects.visible_to(user)``), which this app never
        imports.
        """
        only = None if members is None else models.Q(members__in=members)
        return self.annotate(member_count=models.Count("members", filter=only))


class Category(models.Model):
    """One of the skills categories agreed by the Core Group; data, so the admin can change it."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    description = models.TextField(_("definition (English)"))
    description_fr = models.TextField(_("definition (French)"), blank=True)
    description_es = models.TextField(_("definition (Spanish)"), blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("skills category")
        verbose_name_plural = _("skills categories")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("categories:detail", args=[self.slug])

    def _translated(self, field):
        language = (get_language() or "en").split("-")[0]
        if language != "en":
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return getattr(self, field)

    @property
    def display_name(self):
        """The name in the active language, falling back to English."""
        return self._translated("name")

    @property
    def display_description(self):
        return self._translated("description")
