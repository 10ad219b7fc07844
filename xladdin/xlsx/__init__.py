"""The .xlsx/.xlsm package layer: read a workbook's cells, check it, write results back.

* `reader` – `WorkbookPackage.open`: the cells, defined names and raw parts;
* `validate` – what is checked before anything is read or passed on (CRCs,
  compression, XML, content types, relationships) and the resource `Limits`;
* `sheet` – one worksheet's cells and the byte offsets write-back needs;
* `writer` – surgical write-back and the portable copy (``freeze=``);
* `refs`, `xmltext`, `model` – references and formula shifting, XML helpers,
  the value types and messages.
"""

from .model import Cell, ErrorValue, PackageError
from .reader import WorkbookPackage
from .refs import column_letters, column_number, shift_formula, split_ref
from .validate import Limits

__all__ = [
    "PackageError",
    "ErrorValue",
    "Cell",
    "WorkbookPackage",
    "Limits",
    "shift_formula",
    "column_letters",
    "column_number",
    "split_ref",
]
