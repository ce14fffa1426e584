"""Pages of the projects area."""

urlpatterns: list = []
