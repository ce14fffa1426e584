"""Pages of the evaluations area."""

urlpatterns: list = []
