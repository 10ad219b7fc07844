"""Suite-wide settings."""
import os

# The test extra brings lxml (the strict parse and openxml-audit of
# test_what_strict_readers_accept).  openpyxl would then write every workbook through lxml,
# which a user's install (no lxml) never does: the tests must see the files users get.
# Set before any test module imports openpyxl; subprocesses inherit it.
os.environ["OPENPYXL_LXML"] = "False"
