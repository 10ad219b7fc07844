"""Add-in glue: how Excel reaches ``udfs`` (xlwings), and the command line ``xladdin``
that builds, recalculates, audits and summarises workbooks without Excel."""
