"""Pages of the care area."""

urlpatterns: list = []
