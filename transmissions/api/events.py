"""REST routes of this domain, registered by config/api_urls.py."""

routes = []
