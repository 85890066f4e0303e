"""Python twin of examples/seed/07_csv_columns.cpp (seed row 7): a CSV file's columns as
tensors. Run by tools/golden/seed_outputs.py with the seed's data folder as argument."""
import os
import sys

import pandas as pd
import torch


def dtype(t):
    return str(t.dtype).removeprefix("torch.")


data = pd.read_csv(os.path.join(sys.argv[1], "class2.csv"))
print("columns:", *data.columns, "rows:", len(data))

column = torch.from_numpy(data['x'].values)
print("x column:", list(column.shape), dtype(column))

x = torch.from_numpy(data['x'].values).unsqueeze(dim=1).float()
y = torch.from_numpy(data['y'].values).unsqueeze(dim=1).float()
print("x:", list(x.shape), dtype(x), "y:", list(y.shape), dtype(y))
print(x)
print(y)
