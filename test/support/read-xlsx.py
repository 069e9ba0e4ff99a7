#!/usr/bin/env python3
"""Reads an .xlsx with openpyxl (an independent reader, not the library that wrote it) and prints JSON on stdout.

    python3 test/support/read-xlsx.py FILE

{"sheets": [{"name", "freeze_panes", "auto_filter", "max_row", "max_column", "formula_elements",
             "dimension", "xml_extent", "xml_cells_per_row", "read_only_dimension",
             "cells": [{"ref", "row", "column", "value", "data_type", "number_format", "fill", "bold"}]}]}

Only non-empty cells are listed. Dates and times (openpyxl returns datetime) are printed as ISO strings, e.g.
"2026-03-10T00:00:00", with data_type "d". From the sheet's raw XML (unzipped here, not through openpyxl):
`formula_elements` counts <f> elements, a second check besides openpyxl's data_type "f"; `dimension` is the
<dimension ref> the sheet declares (null when it declares none); `xml_extent` the extent its <c r="..."> cells
actually cover; `xml_cells_per_row` how many <c> elements each row writes, blank cells included ({"1": 17, ...}).
`read_only_dimension` is what openpyxl's read-only mode (which sizes a sheet from its declared dimension, as
streaming readers do) reports, or "error: ..." when it cannot size the sheet.
"""
import datetime
import json
import re
import sys
import zipfile

import openpyxl


def plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def column_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_name(n):
    name = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def raw_facts(xml):
    """What the sheet's own XML says: <f> count, declared dimension, the extent of its cells, cells per row."""
    declared = re.search(r'<dimension ref="([^"]+)"', xml)
    per_row = {}
    rows, columns = [], []
    for letters, row in re.findall(r'<c r="([A-Z]+)([0-9]+)"', xml):
        per_row[row] = per_row.get(row, 0) + 1
        rows.append(int(row))
        columns.append(column_number(letters))
    extent = None
    if rows:
        start = f"{column_name(min(columns))}{min(rows)}"
        end = f"{column_name(max(columns))}{max(rows)}"
        extent = start if start == end else f"{start}:{end}"
    return {
        "formula_elements": len(re.findall(r"<f[ >/]", xml)),
        "dimension": declared.group(1) if declared else None,
        "xml_extent": extent,
        "xml_cells_per_row": per_row,
    }


def sheet_xml_facts(path):
    """Raw facts per sheet name, from the raw XML (workbook.xml maps names to parts through its rels)."""
    facts = {}
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
        targets.update({rid: target for target, rid in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
        for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
            target = targets[rid].lstrip("/")
            part = target if target.startswith("xl/") else "xl/" + target
            facts[name] = raw_facts(z.read(part).decode("utf-8"))
    return facts


def read_only_dimensions(path):
    """openpyxl's read-only mode sizes each sheet from its declared dimension; an unsized sheet is an error."""
    dims = {}
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for ws in book.worksheets:
            try:
                dims[ws.title] = ws.calculate_dimension()
            except Exception as error:  # noqa: BLE001 -- reported to the test, which fails on it
                dims[ws.title] = f"error: {error}"
    finally:
        book.close()
    return dims


def main(path):
    raw = sheet_xml_facts(path)
    read_only = read_only_dimensions(path)
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        cells = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                fill = None
                if cell.fill is not None and cell.fill.fill_type == "solid":
                    fill = cell.fill.fgColor.rgb if isinstance(cell.fill.fgColor.rgb, str) else None
                cells.append({
                    "ref": cell.coordinate,
                    "row": cell.row,
                    "column": cell.column,
                    "value": plain(cell.value),
                    "data_type": cell.data_type,
                    "number_format": cell.number_format,
                    "fill": fill,
                    "bold": bool(cell.font and cell.font.bold),
                })
        sheets.append({
            "name": ws.title,
            "freeze_panes": ws.freeze_panes,
            "auto_filter": ws.auto_filter.ref,
            "max_row": ws.max_row,
            "max_column": ws.max_column,
            **raw.get(ws.title, {}),
            "read_only_dimension": read_only.get(ws.title),
            "cells": cells,
        })
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read-xlsx.py FILE")
    main(sys.argv[1])
