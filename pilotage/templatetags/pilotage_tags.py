from django import template

register = template.Library()


@register.filter
def value_at(values, index):
    """The value of the index-th figure of a list (None when absent or undefined)."""
    try:
        return values[index].value
    except (IndexError, TypeError):
        return None


@register.filter
def figure(value):
    """A figure as the French read it: up to 2 decimals with a comma, "—" when undefined."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return value
