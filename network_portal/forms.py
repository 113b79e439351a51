from django import forms

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


def style_fields(form):
    """Give every widget Bootstrap's class and tie its help text to it; safe to repeat."""
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
        if field.help_text:
            widget.attrs.setdefault("aria-describedby", f"id_{form.add_prefix(name)}_help")


def mark_invalid(form):
    """Flag the fields that failed validation, for Bootstrap and for assistive technology."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", "").split():
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"


class BootstrapFormMixin:
    """Bootstrap's classes on every widget of our own forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        # Marked after validation, not in __init__: validating there would run before a subclass
        # finishes setting up its fields (querysets, validators) and cache that result.
        super().full_clean()
        mark_invalid(self)
