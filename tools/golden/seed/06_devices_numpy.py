"""Python twin of examples/seed/06_devices_numpy.cpp (seed row 6): a tensor on the CPU, the
same on cuda:0 (no GPU on the test machines: the error), and the hand-off to NumPy through a
.npy file. Run by tools/golden/seed_outputs.py."""
import numpy as np
import torch

print(torch.tensor([[1, 2], [3, 4]]))
print("cuda available:", str(torch.cuda.is_available()).lower())
try:
    print(torch.tensor([[1, 2], [3, 4]], device="cuda:0"))
except (RuntimeError, AssertionError) as e:
    print("error:", str(e).replace("\n", " "))

# The seed's print(temp.numpy()) prints
#   [[1 2]
#    [3 4]]
# which CTest's Seed.06_devices_numpy.numpy_reads_it expects from numpy.load('temp.npy') after the
# C++ program wrote it (examples/CMakeLists.txt). Here: the same file written and read back.
temp = torch.tensor([[1, 2], [3, 4]])
np.save("temp.npy", temp.numpy())
written = np.load("temp.npy")
print("temp.npy:", list(written.shape), written.dtype)
print(torch.from_numpy(written))
