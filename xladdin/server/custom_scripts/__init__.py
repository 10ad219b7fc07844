"""No scripts: the add-in offers functions only (xlwings Server requires this package)."""
