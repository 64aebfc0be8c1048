"""Reads a CSV file with Python's csv module and writes its rows as a JSON list of lists.

Used by the reporting integration tests to prove that ExportReport's CSV parses with a standard
reader: csv_rows.py IN.csv OUT.json. The file is opened as utf-8-sig (a leading byte-order mark is
dropped, as spreadsheet programs do) with newline='' as the csv module requires. Exits non-zero
when the file is not valid UTF-8 or not CSV the module accepts in strict mode.
"""

import csv
import json
import sys


def main(csv_path: str, json_path: str) -> None:
    with open(csv_path, encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source, strict=True))
    with open(json_path, "w", encoding="utf-8") as target:
        json.dump(rows, target, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
