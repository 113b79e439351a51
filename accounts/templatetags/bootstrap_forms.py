from django import template

from network_portal.forms import mark_invalid, style_fields

register = template.Library()


@register.filter
def bootstrap(form):
    """Give a form we do not define (allauth's) the classes ``BootstrapFormMixin`` gives ours."""
    style_fields(form)
    if form.is_bound:
        mark_invalid(form)
    return form
