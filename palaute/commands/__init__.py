"""CLI subcommands, one module each.

Every module here defines ``register(subparsers)``, which adds its subparser and sets
``handler=`` to a function taking the parsed arguments and returning an exit code.
Modules are discovered, so adding a command means adding a file.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return found
