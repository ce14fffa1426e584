"""Demo seeders of the other apps: `dui` imports no other app, so each app registers its demo
seeder here from its AppConfig.ready, and `seed_demo` runs them in order after the dui data."""

from collections.abc import Callable

# (order, label in the report, seed(essms, users) -> number of objects created)
_SEEDERS: list[tuple[int, str, Callable]] = []


def register(label: str, seeder: Callable, *, order: int = 100) -> None:
    if all(existing[1] != label for existing in _SEEDERS):
        _SEEDERS.append((order, label, seeder))


def seeders() -> list[tuple[str, Callable]]:
    return [(label, seeder) for _, label, seeder in sorted(_SEEDERS, key=lambda row: (row[0], row[1]))]
