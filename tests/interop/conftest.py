from tests.interop.psc_provider import provider_url, psc  # noqa: F401 (fixtures)
