"""REST routes of the medication area (filled in with the area)."""

routes: list = []
