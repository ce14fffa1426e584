"""REST routes of the evaluations area (filled in with the area)."""

routes: list = []
