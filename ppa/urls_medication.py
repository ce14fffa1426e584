"""Pages of the medication area."""

urlpatterns: list = []
