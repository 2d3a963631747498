"""Exports of approved and published values as CSV, XLSX and Parquet (long format).

:mod:`.rows` selects what a caller may export (the access helpers decide), :mod:`.formats`
writes the files, :mod:`.safety` neutralises spreadsheet formulas in CSV and XLSX cells.
"""
