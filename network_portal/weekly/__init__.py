"""One email a week (or fortnight, or month) per person, gathered from every app's sections.

The shared package's own small app: the person's choice (``WeeklyEmail``) and the emails owed
(``WeeklyEmailDelivery``) live here, below every app, so each may read them; the sections come
from ``registry.WEEKLY_EMAIL_SECTIONS`` parts that each app registers in its ``parts.py``.
"""
