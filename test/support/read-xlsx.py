#!/usr/bin/env python3
"""Reads an .xlsx with openpyxl (an independent reader, not the library that wrote it) and prints JSON on stdout.

    python3 test/support/read-xlsx.py FILE

{"sheets": [{"name", "freeze_panes", "auto_filter", "max_row", "max_column", "formula_elements",
             "cells": [{"ref", "row", "column", "value", "data_type", "number_format", "fill", "bold"}]}]}

Only non-empty cells are listed. Dates and times (openpyxl returns datetime) are printed as ISO strings, e.g.
"2026-03-10T00:00:00", with data_type "d". `formula_elements` counts <f> elements in the sheet's raw XML, a second
check besides openpyxl's data_type "f".
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


def formula_elements(path):
    """<f> elements per sheet name, from the raw XML (workbook.xml maps names to parts through its rels)."""
    counts = {}
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
        targets.update({rid: target for target, rid in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
        for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
            target = targets[rid].lstrip("/")
            part = target if target.startswith("xl/") else "xl/" + target
            xml = z.read(part).decode("utf-8")
            counts[name] = len(re.findall(r"<f[ >/]", xml))
    return counts


def main(path):
    formulas = formula_elements(path)
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
            "formula_elements": formulas.get(ws.title),
            "cells": cells,
        })
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read-xlsx.py FILE")
    main(sys.argv[1])
