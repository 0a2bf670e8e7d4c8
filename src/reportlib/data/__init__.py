"""Data layer: the tables in data/, their schemas and validation, numbers and dates, regions.

``from reportlib.data import Dataset, load, validate`` and the layer's other public names
below. Each is imported on first use: a module that needs only ``reportlib.data.numbers``
or ``reportlib.data.cache`` does not load pandas and pandera with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlib.data.dataset import (
        Dataset,
        ValidationReport,
        check,
        data_hash,
        load,
        validate,
    )
    from reportlib.data.numbers import (
        PrintedNumber,
        format_printed,
        format_quantity,
        parse_number,
        try_parse_number,
    )
    from reportlib.data.regions import subset
    from reportlib.data.synthetic import make_synthetic

#: Public name → the module of this layer that defines it.
_EXPORTS = {
    "Dataset": "dataset",
    "ValidationReport": "dataset",
    "check": "dataset",
    "data_hash": "dataset",
    "load": "dataset",
    "validate": "dataset",
    "PrintedNumber": "numbers",
    "format_printed": "numbers",
    "format_quantity": "numbers",
    "parse_number": "numbers",
    "try_parse_number": "numbers",
    "subset": "regions",
    "make_synthetic": "synthetic",
}

__all__ = [
    "Dataset",
    "PrintedNumber",
    "ValidationReport",
    "check",
    "data_hash",
    "format_printed",
    "format_quantity",
    "load",
    "make_synthetic",
    "parse_number",
    "subset",
    "try_parse_number",
    "validate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:  # also how ``from reportlib.data import schema`` finds a submodule
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
