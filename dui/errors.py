"""Domain errors: what services and selectors raise; the web and the API translate them once.

- `django.core.exceptions.ValidationError`: the input is refused (French messages per field).
- `NotFound`: absent, or outside the actor's scope; never says which.
- `RightRefused`: inside the actor's own ESSMS, the métier lacks a right of the matrix.
- `django.core.exceptions.PermissionDenied`: refused for a reason that is not a matrix right.

HTML pages: `dui.middleware.DomainErrorMiddleware`; API: `dui.api.exceptions.exception_handler`;
forms: `dui.views.service_errors.show_service_error`.
"""


class DomainError(Exception):
    pass


class NotFound(DomainError):  # noqa: N818 (a domain answer, named as the page says it)
    def __init__(self, message: str = "Introuvable."):
        super().__init__(message)


def valid_pk(pk) -> int:
    """A primary key from a URL or a form; anything else (text, beyond a bigint) is simply not found."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound from None
    if not 0 < number < 2**63:
        raise NotFound
    return number


class RightRefused(DomainError):  # noqa: N818
    def __init__(self, action: str, code: str):
        super().__init__(f"{action} {code}")
        self.action = action
        self.code = code

    @property
    def message(self) -> str:
        from dui.catalogue import CLASS_BY_CODE

        verbs = {"read": "consulter", "write": "saisir ou modifier", "validate": "valider"}
        spec = CLASS_BY_CODE.get(self.code)
        what = spec.label if spec else self.code
        return f"Votre métier ne permet pas de {verbs.get(self.action, self.action)} : {what}."
