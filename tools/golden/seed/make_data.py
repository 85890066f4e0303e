"""Writes the seed's small data files in examples/seed/data/ (checked in; rerun only to change
them). Deterministic: the same files on every run and Python version.

- class2.csv: columns x, y, 12 rows of y close to 2x + 1 (the seed's pd.read_csv('class2.csv')).
- covtype_sample.csv: 14 rows (three batches of 4 and one of 2) shaped like UCI's forest cover type data (covtype.csv, 581,012
  rows): its 55 column names and plausible integer values in each column's real range.

    /usr/bin/python3 tools/golden/seed/make_data.py
"""
import pathlib
import random

DATA = pathlib.Path(__file__).resolve().parents[3] / "examples" / "seed" / "data"


def class2(rng):
    lines = ["x,y"]
    for _ in range(12):
        x = round(rng.uniform(0, 10), 2)
        y = round(2 * x + 1 + rng.gauss(0, 0.5), 2)
        lines.append(f"{x},{y}")
    return lines


def covtype(rng):
    # (name, low, high) of the ten quantitative columns, within covtype's real ranges.
    quantitative = [
        ("Elevation", 1900, 3800), ("Aspect", 0, 359), ("Slope", 0, 45),
        ("Horizontal_Distance_To_Hydrology", 0, 1300), ("Vertical_Distance_To_Hydrology", -150, 550),
        ("Horizontal_Distance_To_Roadways", 0, 7000), ("Hillshade_9am", 60, 254),
        ("Hillshade_Noon", 100, 254), ("Hillshade_3pm", 0, 250),
        ("Horizontal_Distance_To_Fire_Points", 0, 7000),
    ]
    names = [name for name, _, _ in quantitative]
    names += [f"Wilderness_Area{i}" for i in range(1, 5)]
    names += [f"Soil_Type{i}" for i in range(1, 41)]
    names.append("Cover_Type")
    lines = [",".join(names)]
    for _ in range(14):
        row = [rng.randint(low, high) for _, low, high in quantitative]
        wilderness, soil = rng.randrange(4), rng.randrange(40)  # one-hot, as in covtype
        row += [int(i == wilderness) for i in range(4)]
        row += [int(i == soil) for i in range(40)]
        row.append(rng.randint(1, 7))
        lines.append(",".join(map(str, row)))
    return lines


def main():
    rng = random.Random(2024)
    DATA.mkdir(parents=True, exist_ok=True)
    for name, lines in (("class2.csv", class2(rng)), ("covtype_sample.csv", covtype(rng))):
        (DATA / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(lines) - 1} rows")


if __name__ == "__main__":
    main()
