"""The native-formula template: every score and note as functions that Excel 2010, WPS and
LibreOffice all have, generated from the catalogue (``udfs``) and proven equal to it.

Layers, each a module:
* ``program``   helper cells on a hidden sheet, expressions, error codes, the first error wins;
* ``coercion``  what a cell holds → a value, an error code and the Chinese reason (``udfs.coerce``);
* ``arith``     exact integer arithmetic in binary floating point (floor division, truncation);
* ``text``      numbers in notes exactly as ``udfs.notes`` writes them;
* ``entries``   one translation per catalogue function (score and note);
* ``build``     the template (``workbook.builder`` with native calls), ``scan`` and ``selfcheck``.
"""
