"""REST routes of the care area (filled in with the area)."""

routes: list = []
