"""REST routes of the projects area (filled in with the area)."""

routes: list = []
