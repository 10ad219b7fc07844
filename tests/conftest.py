"""Suite-wide settings."""
import os

# The test extra brings lxml (the strict parse and openxml-audit of
# test_what_strict_readers_accept).  openpyxl would then write every workbook through lxml,
# which a user's install (no lxml) never does: the tests must see the files users get.
# Set before any test module imports openpyxl; subprocesses inherit it.
os.environ["OPENPYXL_LXML"] = "False"

# Parsed formulas are kept between runs in the user's cache folder (xladdin/engine/parses.py):
# the suite keeps its own, made afresh for each run, so it neither reads nor fills the
# user's. Subprocesses inherit it.
if "XLADDIN_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["XLADDIN_CACHE_DIR"] = tempfile.mkdtemp(prefix="xladdin-test-cache-")
