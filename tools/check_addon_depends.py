"""The addon's dependency tree, checked with manifestoo without Odoo (`make lint`).

`manifestoo list-missing` names every dependency of the addon not found in this
repository. Without Odoo on the machine, each of them must be an addon of Odoo 18.0
Community (manifestoo_core knows their list): the module then needs nothing but Odoo
itself and the Python packages of its ``external_dependencies``. With Odoo present,
tools/run-odoo-tests.sh also runs manifestoo against Odoo's addons (tree, missing,
licenses, development status).

Usage: python tools/check_addon_depends.py [ADDON] (default: odoo_addon_aftersales)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from manifestoo_core.core_addons import is_core_ce_addon
from manifestoo_core.odoo_series import OdooSeries

SERIES = OdooSeries.v18_0


def main(argv: list[str]) -> int:
    addon = argv[0] if argv else "odoo_addon_aftersales"
    manifestoo = Path(sys.executable).with_name("manifestoo")
    missing = subprocess.run(
        [str(manifestoo), "--no-addons-path-from-import-odoo", "--odoo-series", SERIES.value,
         "--select-addons-dir", ".", "--select", addon, "list-missing", "--separator", "\n"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    not_core = [name for name in missing if not is_core_ce_addon(name, SERIES)]
    if not_core:
        print(f"{addon} depends on addons that are neither in this repository nor in Odoo "
              f"{SERIES.value} Community: {', '.join(not_core)}", file=sys.stderr)
        return 1
    print(f"{addon}: {len(missing)} dependencies, all Odoo {SERIES.value} Community addons")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
