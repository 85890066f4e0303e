"""Python twin of examples/seed/08_custom_dataset.cpp (seed rows 8-9): the seed's CustomDataset
over a covtype-shaped CSV file, batched and shuffled by a DataLoader. Run by
tools/golden/seed_outputs.py with the seed's data folder as argument."""
import os
import sys

import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset


class CustomDataset(Dataset):
    def __init__(self, csv_file):
        self.label = pd.read_csv(csv_file)

    def __len__(self):
        return len(self.label)

    def __getitem__(self, idx):  # the seed's __get__item, as Dataset names it
        sample = torch.tensor(self.label.iloc[idx, 0:3].values).int()
        label = torch.tensor(self.label.iloc[idx, 3]).int()
        return sample, label


torch.manual_seed(0)
tensor_dataset = CustomDataset(os.path.join(sys.argv[1], "covtype_sample.csv"))
print("len:", len(tensor_dataset))
sample, label = tensor_dataset[0]
print(sample, label)

dataset = DataLoader(tensor_dataset, batch_size=4, shuffle=True)
for i, data in enumerate(dataset, 0):
    batch = data[0]
    print(i, list(batch.size()))
    print(batch)
    print(data[1])
