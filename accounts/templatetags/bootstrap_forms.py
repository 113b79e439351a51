from django import forms, template

from network_portal.forms import CHECK_WIDGETS

register = template.Library()


@register.filter
def bootstrap(form):
    """Give a form we do not define (allauth's) the classes ``BootstrapFormMixin`` gives ours."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])
        if form.is_bound and name in form.errors:
            if "is-invalid" not in widget.attrs["class"]:
                widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
        if field.help_text:
            widget.attrs.setdefault("aria-describedby", f"id_{form.add_prefix(name)}_help")
    return form
