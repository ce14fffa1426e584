"""The one way a page shows a service's refusal on its form."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from dui.errors import RightRefused


def show_service_error(
    form,
    error: ValidationError | PermissionDenied | RightRefused,
    *,
    default_field: str | None = None,
    field_map: dict[str, str] | None = None,
) -> None:
    """Field errors on their field (renamed by `field_map` when the form names it otherwise),
    the others on top of the form (or on `default_field`)."""
    if isinstance(error, RightRefused):
        form.add_error(default_field, error.message)
        return
    if isinstance(error, PermissionDenied):
        form.add_error(default_field, str(error) or "Action non autorisée.")
        return
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(default_field, message)
        return
    for field, messages in error.message_dict.items():
        field = (field_map or {}).get(field, field)
        target = field if field in form.fields and field != NON_FIELD_ERRORS else default_field
        for message in messages:
            form.add_error(target, message)
