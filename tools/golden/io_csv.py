"""Golden values for tests/io/test_csv.cpp: pandas.read_csv's parse of the small CSV files under
tests/data/csv/ (python3-pandas), as column names, dtypes and values.

Dtypes map to ember's CSV types: int64, float64, bool, and object -> string (NaN in a string
column -> "", as ember reads it). uint64 (pandas' type for integers in 2^63 .. 2^64-1) -> string:
ember has no uint64 and keeps such a column's values as written (documented in io/csv.h). Floats use "nan"/"inf"/"-inf" strings like tensor_json.
"""
import math
import os

import pandas as pd

from common import ROOT, number_json, write_fixture

DATA = os.path.join(ROOT, "tests", "data", "csv")

# name -> (file, read_csv keyword arguments, the same options in ember's spelling)
CASES = {
    "basic": ("basic.csv", {}, {}),
    "quotes": ("quotes.csv", {}, {}),
    "crlf": ("crlf.csv", {}, {}),
    "missing": ("missing.csv", {}, {}),
    "comments": ("comments.csv", {"comment": "#"}, {"comment": "#"}),
    "noheader": ("noheader.csv", {"header": None}, {"header": False}),
    "header_only": ("header_only.csv", {}, {}),
    "nonnumeric": ("nonnumeric.csv", {}, {}),
    "numbers": ("numbers.csv", {}, {}),
    "spaces": ("spaces.csv", {}, {}),
    "infinities": ("infinities.csv", {}, {}),
    "beyond_int64": ("beyond_int64.csv", {}, {}),
    "exponents": ("exponents.csv", {}, {}),
    "spaced_inf": ("spaced_inf.csv", {}, {}),
    "selected": ("basic.csv", {"usecols": ["name", "id"]}, {"columns": ["name", "id"]}),
    "dtype_override": ("basic.csv", {"dtype": {"id": "float64", "score": "object"}},
                       {"dtype": {"id": "float64", "score": "string"}}),
}

TYPES = {"int64": "int64", "float64": "float64", "bool": "bool", "object": "string",
         "uint64": "string"}


def value_json(v, kind):
    if kind == "string":
        return "" if (isinstance(v, float) and math.isnan(v)) else str(v)
    if kind == "bool":
        return bool(v)
    if kind == "int64":
        return int(v)
    return number_json(float(v))


cases = {}
for name, (file, kwargs, ember_options) in CASES.items():
    if ember_options is None:
        continue
    frame = pd.read_csv(os.path.join(DATA, file), **kwargs)
    columns = []
    for col in frame.columns:
        kind = TYPES[str(frame[col].dtype)]
        columns.append({"name": str(col), "type": kind,
                        "values": [value_json(v, kind) for v in frame[col].tolist()]})
    cases[name] = {"file": file, "options": ember_options, "columns": columns}

write_fixture("io_csv", __file__, {"pandas_version": pd.__version__, "cases": cases})
