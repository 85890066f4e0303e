"""Golden files for tests/vision/datasets/: tiny dataset folders in torchvision's layouts under
tests/data/vision/ (IDX files raw and gzipped, CIFAR pickles written as Python 2's cPickle wrote
the real ones, the CIFAR binary release, an image folder, archives for the download tests, and
corrupt files), read back with torchvision 0.14; what torchvision returns goes to
tests/golden/vision_datasets.json. Also the real Fashion-MNIST from Debian's
dataset-fashion-mnist package, read by torchvision from a temporary copy.

Images are recorded by the MD5 of their HWC bytes (np.array(pil_image).tobytes()) to keep the
fixture small; JPEG images, which decoders round differently, by their pixels.
"""
import gzip
import hashlib
import io
import os
import pickle
import shutil
import struct
import tarfile
import tempfile
import zipfile

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import datasets

from common import ROOT, write_fixture

DATA = os.path.join(ROOT, "tests", "data", "vision")
FASHION = "/usr/share/datasets/fashion-mnist"
rng = np.random.RandomState(0)
golden = {"torchvision_version": torchvision.__version__}


def md5(b):
    return hashlib.md5(b).hexdigest()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    # mtime 0: the same bytes on every run.
    return gzip.compress(data, mtime=0)


# ---------------------------------------------------------------- IDX / MNIST family
IDX_CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C,
             np.float32: 0x0D, np.float64: 0x0E}


def idx_bytes(a):
    code = IDX_CODES[a.dtype.type]
    header = struct.pack(">BBBB", 0, 0, code, a.ndim) + b"".join(struct.pack(">I", d) for d in a.shape)
    return header + a.astype(a.dtype.newbyteorder(">")).tobytes()


def image_record(img):
    a = np.array(img)
    return {"mode": img.mode, "size": [img.size[0], img.size[1]], "md5": md5(a.tobytes())}


def mnist_golden(ds):
    """What torchvision's MNIST-family dataset returns: length, targets, classes, the MD5 of all
    the image bytes, and item 0 and the last item."""
    last = len(ds) - 1
    entry = {"len": len(ds), "shape": list(ds.data.shape), "targets": ds.targets.tolist(),
             "classes": list(ds.classes), "data_md5": md5(ds.data.numpy().tobytes()),
             "items": []}
    for i in (0, last):
        img, target = ds[i]
        entry["items"].append({"index": i, "target": target, **image_record(img)})
    return entry


MNIST_ROOT = os.path.join(DATA, "mnist")
shutil.rmtree(MNIST_ROOT, ignore_errors=True)
# Images 6 high and 5 wide: a transposed read would show.
mnist_files = {}
for split, n in (("train", 4), ("t10k", 3)):
    images = rng.randint(0, 256, size=(n, 6, 5)).astype(np.uint8)
    labels = rng.randint(0, 10, size=n).astype(np.uint8)
    mnist_files[f"{split}-images-idx3-ubyte"] = idx_bytes(images)
    mnist_files[f"{split}-labels-idx1-ubyte"] = idx_bytes(labels)
for name, data in mnist_files.items():
    write(os.path.join(MNIST_ROOT, "MNIST", "raw", name), data)      # raw, as torchvision leaves them
    write(os.path.join(MNIST_ROOT, "KMNIST", "raw", name), data)
    write(os.path.join(MNIST_ROOT, "FashionMNIST", "raw", name + ".gz"), gz(data))  # .gz only
emnist_files = {}
for split in ("letters", "balanced"):
    for part, n in (("train", 3), ("test", 2)):
        images = rng.randint(0, 256, size=(n, 6, 5)).astype(np.uint8)
        labels = rng.randint(1 if split == "letters" else 0, 27 if split == "letters" else 47,
                             size=n).astype(np.uint8)
        emnist_files[f"emnist-{split}-{part}-images-idx3-ubyte"] = idx_bytes(images)
        emnist_files[f"emnist-{split}-{part}-labels-idx1-ubyte"] = idx_bytes(labels)
for name, data in emnist_files.items():
    write(os.path.join(MNIST_ROOT, "EMNIST", "raw", name), data)

golden["mnist"] = {}
for cls in (datasets.MNIST, datasets.FashionMNIST, datasets.KMNIST):
    if cls is datasets.FashionMNIST:
        # torchvision reads decompressed files only: give it a decompressed copy.
        tmp = tempfile.mkdtemp()
        for name, data in mnist_files.items():
            write(os.path.join(tmp, "FashionMNIST", "raw", name), data)
        root = tmp
    else:
        root = MNIST_ROOT
    for train in (True, False):
        golden["mnist"][f"{cls.__name__}_{'train' if train else 'test'}"] = \
            mnist_golden(cls(root, train=train))
for split in ("letters", "balanced"):
    for train in (True, False):
        golden["mnist"][f"EMNIST_{split}_{'train' if train else 'test'}"] = \
            mnist_golden(datasets.EMNIST(MNIST_ROOT, split=split, train=train))
# QMNIST: int32 label files [N, 8]. torchvision 0.14 misreads multi-byte IDX elements on
# little-endian hosts (it reverses the element order instead of each element's bytes), so the
# expected targets are the values written (the IDX format is big-endian), not its .targets.
qmnist_targets = {}
for prefix, n in (("qmnist-train", 3), ("qmnist-test", 4), ("xnist", 2)):
    images = rng.randint(0, 256, size=(n, 6, 5)).astype(np.uint8)
    labels = rng.randint(0, 70000, size=(n, 8)).astype(np.int32)
    labels[:, 0] %= 10
    write(os.path.join(MNIST_ROOT, "QMNIST", "raw", prefix + "-images-idx3-ubyte"), idx_bytes(images))
    write(os.path.join(MNIST_ROOT, "QMNIST", "raw", prefix + "-labels-idx2-int"), idx_bytes(labels))
    qmnist_targets[prefix] = labels
for what in ("train", "test", "test10k", "test50k", "nist"):
    ds = datasets.QMNIST(MNIST_ROOT, what=what)
    labels = qmnist_targets["xnist" if what == "nist" else
                            "qmnist-train" if what == "train" else "qmnist-test"]
    if what == "test50k":
        labels = labels[10000:]
    entry = {"len": len(ds), "shape": list(ds.data.shape), "data_md5": md5(ds.data.numpy().tobytes()),
             "targets": torch.from_numpy(labels.astype(np.int64)).tolist(), "items": []}
    for i in range(len(ds)):
        img, _ = ds[i]
        entry["items"].append(image_record(img))
    golden["mnist"]["QMNIST_" + what] = entry

golden["emnist_classes"] = {s: datasets.EMNIST.classes_split_dict[s] for s in datasets.EMNIST.splits}

# Element types other than uint8: read_idx's values (written big-endian by NumPy).
IDX_DIR = os.path.join(DATA, "idx")
shutil.rmtree(IDX_DIR, ignore_errors=True)
golden["idx"] = {}
typed = {
    "int8": np.array([[-128, 5, 127]], dtype=np.int8),
    "int16": np.array([-300, 2, 32767], dtype=np.int16),
    "int32": np.array([[[-70000, 1], [2, 2**31 - 1]]], dtype=np.int32),
    "float32": np.array([1.5, -2.25, 3e-5], dtype=np.float32),
    "float64": np.array([[1.0 / 3, -1e300]], dtype=np.float64),
    "no-images": np.zeros((0, 6, 5), dtype=np.uint8),
}
for name, a in typed.items():
    write(os.path.join(IDX_DIR, name + "-idx"), idx_bytes(a))
    t = torch.from_numpy(a)
    golden["idx"][name] = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(a.shape),
                           "data": a.reshape(-1).tolist()}
# Corrupt files: each read must fail with a message naming the file and the fault.
good_images = mnist_files["train-images-idx3-ubyte"]
write(os.path.join(IDX_DIR, "bad-magic-idx"), b"\x01\x02\x08\x03" + good_images[4:])
write(os.path.join(IDX_DIR, "bad-type-idx"), b"\x00\x00\x07\x03" + good_images[4:])
write(os.path.join(IDX_DIR, "four-dims-idx"), idx_bytes(np.zeros((1, 2, 2, 2), dtype=np.uint8)))
write(os.path.join(IDX_DIR, "truncated-idx"), good_images[:-7])
write(os.path.join(IDX_DIR, "huge-dims-idx"), struct.pack(">BBBBIII", 0, 0, 8, 3, 2**32 - 1,
                                                          2**32 - 1, 2**32 - 1) + b"\x00" * 8)
write(os.path.join(IDX_DIR, "short-header-idx"), good_images[:10])
write(os.path.join(IDX_DIR, "extra-bytes-idx"), good_images + b"\x00\x00")
write(os.path.join(IDX_DIR, "truncated-gz-idx"), gz(good_images)[:-20])
write(os.path.join(IDX_DIR, "empty-idx"), b"")
# A label file whose count differs from the image file's, and int16 "labels".
write(os.path.join(DATA, "mnist_mismatch", "MNIST", "raw", "train-images-idx3-ubyte"), good_images)
write(os.path.join(DATA, "mnist_mismatch", "MNIST", "raw", "train-labels-idx1-ubyte"),
      idx_bytes(np.array([1, 2, 3], dtype=np.uint8)))
write(os.path.join(DATA, "mnist_mismatch", "MNIST", "raw", "t10k-images-idx3-ubyte"),
      mnist_files["t10k-images-idx3-ubyte"])
write(os.path.join(DATA, "mnist_mismatch", "MNIST", "raw", "t10k-labels-idx1-ubyte"),
      idx_bytes(np.array([1, 2, 3], dtype=np.int16)))

# ---------------------------------------------------------------- CIFAR
class Py2Pickler(pickle._Pickler):
    """Protocol 2 as Python 2's cPickle wrote the CIFAR files: every str (and bytes) is a Python 2
    str, written with the BINSTRING opcodes; numpy arrays reduce through
    numpy.core.multiarray._reconstruct with their raw bytes as such a string."""
    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj):
        b = obj.encode("latin1") if isinstance(obj, str) else bytes(obj)
        if len(b) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(b)]) + b)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(b)) + b)
        self.memoize(obj)

    dispatch[str] = save_py2_str
    dispatch[bytes] = save_py2_str


def py2_pickle(obj):
    f = io.BytesIO()
    Py2Pickler(f, protocol=2).dump(obj)
    return f.getvalue()


def cifar_pixels(n, seed):
    """n records of 3072 bytes (R, G, B planes of 32x32): a pattern that differs by channel, row,
    column and record, so any layout mistake shows, and that compresses well."""
    c, y, x = np.meshgrid(np.arange(3), np.arange(32), np.arange(32), indexing="ij")
    return np.stack([((c * 85 + y * 7 + x * 3 + (seed + r) * 11) % 256).astype(np.uint8).reshape(-1)
                     for r in range(n)])


CIFAR_ROOT = os.path.join(DATA, "cifar")
shutil.rmtree(CIFAR_ROOT, ignore_errors=True)
shutil.rmtree(CIFAR_ROOT + "_py3", ignore_errors=True)
CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                   "ship", "truck"]
cifar10 = {}
bin10 = {}
for k, name in enumerate(["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                          "data_batch_5", "test_batch"]):
    n = 2 if name == "test_batch" else 1
    data = cifar_pixels(n, 10 * k)
    labels = [int(v) for v in rng.randint(0, 10, size=n)]
    label = "testing batch 1 of 1" if name == "test_batch" else f"training batch {k + 1} of 5"
    cifar10[name] = py2_pickle({"batch_label": label, "labels": labels, "data": data,
                                "filenames": [f"image_{k}_{i}.png" for i in range(n)]})
    bin10[name + ".bin"] = b"".join(bytes([labels[i]]) + data[i].tobytes() for i in range(n))
cifar10["batches.meta"] = py2_pickle({"num_cases_per_batch": 1, "label_names": CIFAR10_CLASSES,
                                      "num_vis": 3072})
for name, b in cifar10.items():
    write(os.path.join(CIFAR_ROOT, "cifar-10-batches-py", name), b)
for name, b in bin10.items():
    write(os.path.join(CIFAR_ROOT, "cifar-10-batches-bin", name), b)
write(os.path.join(CIFAR_ROOT, "cifar-10-batches-bin", "batches.meta.txt"),
      ("\n".join(CIFAR10_CLASSES) + "\n\n").encode())

CIFAR100_FINE = [f"fine_{i}" for i in range(100)]
cifar100 = {}
for k, (name, n) in enumerate((("train", 3), ("test", 2))):
    fine = [int(v) for v in rng.randint(0, 100, size=n)]
    cifar100[name] = py2_pickle({"filenames": [f"f{i}.png" for i in range(n)], "batch_label":
                                 name + " batch", "fine_labels": fine,
                                 "coarse_labels": [v // 5 for v in fine],
                                 "data": cifar_pixels(n, 100 + 7 * k)})
cifar100["meta"] = py2_pickle({"fine_label_names": CIFAR100_FINE,
                               "coarse_label_names": [f"coarse_{i}" for i in range(20)]})
for name, b in cifar100.items():
    write(os.path.join(CIFAR_ROOT, "cifar-100-python", name), b)


def cifar_golden(ds):
    entry = {"len": len(ds), "targets": list(ds.targets), "classes": list(ds.classes),
             "data_md5": md5(np.ascontiguousarray(ds.data).tobytes()), "items": []}
    for i in range(len(ds)):
        img, target = ds[i]
        entry["items"].append({"target": target, **image_record(img)})
    return entry


def patched(cls, files):
    """cls with its MD5 list replaced by the fixture files' MD5s (torchvision checks them)."""
    class Patched(cls):
        train_list = [[n, md5(files[n])] for n, _ in cls.train_list]
        test_list = [[n, md5(files[n])] for n, _ in cls.test_list]
        meta = dict(cls.meta, md5=md5(files[cls.meta["filename"]]))
    return Patched


golden["cifar"] = {"md5": {n: md5(b) for n, b in {**cifar10, **cifar100}.items()}}
for cls, files in ((datasets.CIFAR10, cifar10), (datasets.CIFAR100, cifar100)):
    for train in (True, False):
        golden["cifar"][f"{cls.__name__}_{'train' if train else 'test'}"] = \
            cifar_golden(patched(cls, files)(CIFAR_ROOT, train=train))
# Corrupt CIFAR files (with MD5 checks off): a truncated pickle, a pickle of another shape,
# labels that do not match the data, a binary file of the wrong size.
BAD = os.path.join(DATA, "cifar_bad")
shutil.rmtree(BAD, ignore_errors=True)
# Each holds only the files read before the fault.
bad_py = os.path.join("cifar-10-batches-py")
write(os.path.join(BAD, "truncated", bad_py, "data_batch_1"), cifar10["data_batch_1"])
write(os.path.join(BAD, "truncated", bad_py, "data_batch_2"),
      cifar10["data_batch_2"][:len(cifar10["data_batch_2"]) // 2])
write(os.path.join(BAD, "not_a_dict", bad_py, "data_batch_1"), py2_pickle([1, 2, 3]))
write(os.path.join(BAD, "label_count", bad_py, "test_batch"),
      py2_pickle({"labels": [1, 2, 3], "data": cifar_pixels(1, 0)}))
write(os.path.join(BAD, "protocol4", bad_py, "test_batch"),
      pickle.dumps({"labels": [1], "data": b"x" * 3072}, protocol=4))
# The same test batch pickled by Python 3 (protocol 2: bytes as _codecs.encode(str, "latin1");
# protocol 3: BINBYTES), which ember reads as well.
test_entry = pickle.loads(cifar10["test_batch"], encoding="bytes")
meta_entry = pickle.loads(cifar10["batches.meta"], encoding="latin1")
for protocol in (2, 3):
    folder = os.path.join(CIFAR_ROOT + "_py3", f"protocol{protocol}", "cifar-10-batches-py")
    write(os.path.join(folder, "test_batch"),
          pickle.dumps({k.decode(): v for k, v in test_entry.items()}, protocol=protocol))
    write(os.path.join(folder, "batches.meta"), pickle.dumps(meta_entry, protocol=protocol))
write(os.path.join(BAD, "bin_size", "cifar-10-batches-bin", "test_batch.bin"),
      bin10["test_batch.bin"][:-5])

# ---------------------------------------------------------------- ImageFolder
FOLDER = os.path.join(DATA, "folder")
shutil.rmtree(FOLDER, ignore_errors=True)


def pattern(h, w, channels, seed):
    y, x = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    planes = [((y * 37 + x * 23 + c * 80 + seed * 13) % 256).astype(np.uint8) for c in range(channels)]
    return np.stack(planes, axis=2) if channels > 1 else planes[0]


def save(rel, img, **kw):
    path = os.path.join(FOLDER, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.save(path, **kw)


save("cat/a.png", Image.fromarray(pattern(4, 5, 3, 1), "RGB"))
save("cat/b.PNG", Image.fromarray(pattern(3, 6, 1, 2), "L"), format="PNG")
save("cat/sub/c.bmp", Image.fromarray(pattern(5, 3, 3, 3), "RGB"))
write(os.path.join(FOLDER, "cat", "notes.txt"), b"not an image\n")
save("dog/d.jpg", Image.fromarray(pattern(6, 8, 3, 4), "RGB"), quality=90)
save("dog/e.png", Image.fromarray(pattern(3, 4, 4, 5), "RGBA"))
palette_img = Image.fromarray((pattern(4, 4, 1, 6) % 4).astype(np.uint8), "P")
palette_img.putpalette([10, 20, 30, 200, 100, 0, 0, 255, 0, 90, 90, 90] + [0] * (256 * 3 - 12))
save("dog/f.png", palette_img)
save("dog/g.ppm", Image.fromarray(pattern(2, 3, 3, 7), "RGB"))
save("dog/h.pgm", Image.fromarray(pattern(3, 2, 1, 8), "L"))
save("Ape/i.png", Image.fromarray(pattern(2, 2, 2, 9), "LA"))
save("Ape/j.bmp", Image.fromarray(pattern(3, 3, 1, 10), "L"))
folder_ds = datasets.ImageFolder(FOLDER)
golden["folder"] = {"classes": folder_ds.classes, "samples": [], "items": []}
for path, target in folder_ds.samples:
    rel = os.path.relpath(path, FOLDER)
    golden["folder"]["samples"].append([rel, target])
    img, t = folder_ds[len(golden["folder"]["items"])]
    rec = {"target": t, **image_record(img)}
    if rel.endswith(".jpg"):
        rec["pixels"] = np.array(img).reshape(-1).tolist()
    golden["folder"]["items"].append(rec)
# The grey images as load_image reads them (mode L, unconverted).
golden["folder"]["grey"] = {rel: image_record(Image.open(os.path.join(FOLDER, rel)))
                            for rel in ("cat/b.PNG", "dog/h.pgm")}

FOLDER_BAD = os.path.join(DATA, "folder_bad")
shutil.rmtree(FOLDER_BAD, ignore_errors=True)
write(os.path.join(FOLDER_BAD, "corrupt", "x", "bad.png"), b"\x89PNG\r\n\x1a\n" + b"garbage" * 5)
Image.fromarray(pattern(2, 2, 3, 1), "RGB").save(os.path.join(FOLDER_BAD, "corrupt", "x", "ok.png"))
os.makedirs(os.path.join(FOLDER_BAD, "unsupported", "x"), exist_ok=True)
Image.fromarray(pattern(2, 2, 3, 1), "RGB").save(os.path.join(FOLDER_BAD, "unsupported", "x", "a.tif"))
os.makedirs(os.path.join(FOLDER_BAD, "empty_class", "x"), exist_ok=True)
Image.fromarray(pattern(2, 2, 3, 1), "RGB").save(os.path.join(FOLDER_BAD, "empty_class", "x", "a.png"))
write(os.path.join(FOLDER_BAD, "empty_class", "y", "readme.txt"), b"no images here\n")
write(os.path.join(FOLDER_BAD, "no_classes", "readme.txt"), b"no class folders here\n")

# ---------------------------------------------------------------- archives for download tests
MIRROR = os.path.join(DATA, "mirror")
shutil.rmtree(MIRROR, ignore_errors=True)
golden["mirror_md5"] = {}
for name, data in mnist_files.items():
    write(os.path.join(MIRROR, name + ".gz"), gz(data))
    golden["mirror_md5"][name + ".gz"] = md5(gz(data))
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in emnist_files.items():
        info = zipfile.ZipInfo("gzip/" + name + ".gz", date_time=(2017, 1, 1, 0, 0, 0))
        z.writestr(info, gz(data), compress_type=zipfile.ZIP_DEFLATED)
write(os.path.join(MIRROR, "gzip.zip"), zbuf.getvalue())
golden["mirror_md5"]["gzip.zip"] = md5(zbuf.getvalue())
for archive, folder, files in (("cifar-10-python.tar.gz", "cifar-10-batches-py", cifar10),
                               ("cifar-100-python.tar.gz", "cifar-100-python", cifar100)):
    tbuf = io.BytesIO()
    with tarfile.open(fileobj=tbuf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        dir_info = tarfile.TarInfo(folder)
        dir_info.type = tarfile.DIRTYPE
        dir_info.mode = 0o755
        t.addfile(dir_info)
        for name, b in files.items():
            info = tarfile.TarInfo(folder + "/" + name)
            info.size = len(b)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(b))
    data = gz(tbuf.getvalue())
    write(os.path.join(MIRROR, archive), data)
    golden["mirror_md5"][archive] = md5(data)

# ---------------------------------------------------------------- real Fashion-MNIST
tmp = tempfile.mkdtemp()
raw = os.path.join(tmp, "FashionMNIST", "raw")
os.makedirs(raw)
for name in os.listdir(FASHION):
    with gzip.open(os.path.join(FASHION, name)) as f:
        write(os.path.join(raw, name[:-3]), f.read())
golden["fashion_mnist"] = {}
for train in (True, False):
    ds = datasets.FashionMNIST(tmp, train=train)
    first = []
    for i in range(5):
        img, target = ds[i]
        first.append({"target": target, "pixel_sum": int(np.array(img, dtype=np.int64).sum())})
    golden["fashion_mnist"]["train" if train else "test"] = {
        "len": len(ds), "first": first, "target_sum": int(ds.targets.sum()),
        "pixel_sum": int(ds.data.to(torch.int64).sum()), "classes": ds.classes}
shutil.rmtree(tmp)

write_fixture("vision_datasets", __file__, golden)
