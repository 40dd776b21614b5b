"""The catalogue's entries, one module per group of rules; importing this package registers them all.

Each entry is declared in one place: the decorator says which rule(s) the kit must fail and how
the server is built, the decorated function is the probe that shows the defect, and its
docstring names the defect and the rule. To add entries, add a module here (it is found by
itself) or append to the module of the rule they break.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
