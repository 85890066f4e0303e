"""Writes a CSV shaped like the UCI covertype data set (581,012 rows x 55 integer columns with a
header, about 72 MB) for bench/bench_csv.py: random values in each column's real range, one-hot
wilderness and soil columns, so the parser sees the same mix of field widths.

    /usr/bin/python3 bench/make_covtype.py [/tmp/covtype.csv]
"""
import sys

import numpy as np
import pandas as pd

ROWS = 581_012
QUANTITATIVE = [  # name, low, high (inclusive), as in the original data
    ("Elevation", 1859, 3858), ("Aspect", 0, 360), ("Slope", 0, 66),
    ("Horizontal_Distance_To_Hydrology", 0, 1397), ("Vertical_Distance_To_Hydrology", -173, 601),
    ("Horizontal_Distance_To_Roadways", 0, 7117), ("Hillshade_9am", 0, 254),
    ("Hillshade_Noon", 0, 254), ("Hillshade_3pm", 0, 254),
    ("Horizontal_Distance_To_Fire_Points", 0, 7173),
]


def main(path):
    rng = np.random.default_rng(0)
    columns = {name: rng.integers(low, high + 1, ROWS) for name, low, high in QUANTITATIVE}
    wilderness = rng.integers(0, 4, ROWS)
    for k in range(4):
        columns[f"Wilderness_Area{k + 1}"] = (wilderness == k).astype(np.int64)
    soil = rng.integers(0, 40, ROWS)
    for k in range(40):
        columns[f"Soil_Type{k + 1}"] = (soil == k).astype(np.int64)
    columns["Cover_Type"] = rng.integers(1, 8, ROWS)
    pd.DataFrame(columns).to_csv(path, index=False)
    print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/covtype.csv")
