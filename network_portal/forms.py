from django import forms

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, and mark invalid fields for assistive technology."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, CHECK_WIDGETS):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_help")

    def full_clean(self):
        # Marked after validation, not in __init__: validating there would run before a subclass
        # finishes setting up its fields (querysets, validators) and cache that result.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs["class"].split():
                    attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"
