"""The embedded default host: a SQLite file and in-process ports, no server, no ERP.

``EmbeddedHost(path, policy=...)`` opens (and migrates) the file; ``open_case`` and
``act`` run the core's workflows on it; :mod:`.reports` aggregates the statistics in
SQLite for :mod:`aftersales_core.analytics`; :mod:`.importer` loads CSV/JSON files;
:mod:`.demo` builds the seeded demonstration data set.
"""

from aftersales_core.embedded.host import NUMBER_PREFIX, CaseRecord, EmbeddedHost
from aftersales_core.embedded.importer import ImportFailed, ImportResult, import_file
from aftersales_core.embedded.store import connect, migrations, schema_version

__all__ = [
    "NUMBER_PREFIX",
    "CaseRecord",
    "EmbeddedHost",
    "ImportFailed",
    "ImportResult",
    "connect",
    "import_file",
    "migrations",
    "schema_version",
]
