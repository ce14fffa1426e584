"""Scale data for the benchmarks (bench/): `generate()` writes an organisation at the size of a real
one, reproducibly (same seed, same data), split by domain: tenancy (organismes, ESSMS, staff),
dossiers (persons, séjours), entourage (contacts, referents, medical basics), planning (appointments,
documents), transmissions (transmissions, events, read receipts) and care (plan de soins, worklist)."""

from demo.scale.base import DEFAULT_BATCH_SIZE, SCALE_PASSWORD, Report, ScaleDataRefusedError, TableStat
from demo.scale.care import generate_care
from demo.scale.generator import Generator, analyse_tables, database_is_empty, generate
from demo.scale.transmissions import DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR",
    "SCALE_PASSWORD",
    "Generator",
    "Report",
    "ScaleDataRefusedError",
    "TableStat",
    "analyse_tables",
    "database_is_empty",
    "generate",
    "generate_care",
]
