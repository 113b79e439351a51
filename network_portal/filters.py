import django_filters


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values never widen the result."""

    @property
    def results(self):
        """The filtered rows, or none at all when a value does not validate.

        django-filter skips a field that does not validate, so a typo (an unknown slug, country
        "ZZ") would return everything: callers ask here instead of reading ``qs`` directly.
        """
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs
