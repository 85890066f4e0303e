#!/usr/bin/python3
"""Writes the fuzzers' seed corpora (fuzz/corpus/<fuzzer>/): a few small valid files of each
format and a few broken ones (truncated, or with a header claiming far more than the file has).
Run with Debian's python3 (NumPy, Pillow); the files are checked in, so the build needs neither."""
import gzip
import io
import json
import os
import pickle
import struct
import tarfile
import zipfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def put(fuzzer, name, data):
    folder = os.path.join(HERE, fuzzer)
    os.makedirs(folder, exist_ok=True)
    assert len(data) < 10_000, (fuzzer, name, len(data))
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


# ---- IDX (MNIST) ----
def idx(array, code):
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


rng = np.random.default_rng(0)
images = rng.integers(0, 256, (3, 5, 4), dtype=np.uint8)
put("idx", "images_u8.idx", idx(images, 0x08))
put("idx", "labels_u8.idx", idx(np.array([7, 2, 1], dtype=np.uint8), 0x08))
put("idx", "qmnist_labels_i32.idx", idx(rng.integers(-5, 70000, (3, 8)).astype(np.int32), 0x0C))
put("idx", "f64.idx", idx(np.array([1.5, -2.0, 1e300]), 0x0E))
put("idx", "i16_f32.idx", idx(np.arange(6, dtype=np.int16).reshape(2, 3), 0x0B))
put("idx", "f32.idx", idx(np.linspace(0, 1, 5, dtype=np.float32), 0x0D))
put("idx", "images_u8.idx.gz", gz(idx(images, 0x08)))
put("idx", "truncated.idx.gz", gz(idx(images, 0x08))[:40])
put("idx", "huge_header.idx", bytes([0, 0, 8, 3]) + struct.pack(">III", 1000000, 1000000, 1000000))

# ---- CSV: the first byte picks the options (see fuzz_csv.cpp) ----
csv_seeds = {
    "plain.csv": (0x01, b"a,b,c\n1,2,3\n4,5,6\n-7,8,9\n"),
    "floats_missing.csv": (0x11, b"x,y\n1.5,NaN\n,2e10\n-0,inf\n"),
    "quoted.csv": (0x01, b'name,text\n"a ""q""",1\n"multi\nline",2\n'),
    "strings_bools.csv": (0x01, b"k,v,w\nTrue,x,1\nfalse,y,2.5\nTRUE,,\n"),
    "semicolon_comments.csv": (0x0b, b"# c\na;b\n1;2 # tail\n\n3;4\n"),
    "chunks.csv": (0x61 | 0x80, b"a,b\n" + b"".join(b"%d,%d\n" % (i, i * i) for i in range(60))),
    "big_ints.csv": (0x01, b"a\n9223372036854775807\n99999999999999999999\n"),
    "ragged.csv": (0x00, b"1,2\n3\n"),
    "open_quote.csv": (0x21, b'a,b\n1,"2\n3,4\n'),
}
for name, (bits, body) in csv_seeds.items():
    put("csv", name, bytes([bits]) + body)

# ---- .npy ----
def npy(array, version=None):
    f = io.BytesIO()
    if version:
        np.lib.format.write_array(f, array, version=version)
    else:
        np.save(f, array)
    return f.getvalue()


put("npy", "f32_2d.npy", npy(np.arange(12, dtype=np.float32).reshape(3, 4)))
put("npy", "i64_fortran.npy", npy(np.asfortranarray(np.arange(6).reshape(2, 3))))
put("npy", "big_endian_f8.npy", npy(np.arange(4, dtype=">f8")))
put("npy", "bool_0d.npy", npy(np.array(True)))
put("npy", "empty_u1.npy", npy(np.zeros((0, 5), dtype=np.uint8)))
put("npy", "v2_f2.npy", npy(np.ones(3, dtype=np.float16), version=(2, 0)))
put("npy", "truncated.npy", npy(np.arange(100, dtype=np.int32))[:200])
# A header claiming 10^12 elements in front of 8 bytes of data.
header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"
header += b" " * (-(len(header) + 11) % 64) + b"\n"
put("npy", "huge_shape.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(8))

# ---- safetensors and optimizer state files ----
def safetensors(tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, array) in tensors.items():
        data = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


put("safetensors", "model.safetensors", safetensors({
    "fc.weight": ("F32", np.arange(6, dtype=np.float32).reshape(2, 3)),
    "fc.bias": ("F32", np.zeros(2, dtype=np.float32)),
    "bn.num_batches_tracked": ("I64", np.array(3, dtype=np.int64)),
    "mask": ("BOOL", np.array([True, False])),
    "half": ("F16", np.ones(2, dtype=np.float16)),
    "empty": ("U8", np.zeros((0, 4), dtype=np.uint8)),
}, metadata={"format": "pt"}))
groups = [{"options": [["lr", 0.1], ["momentum", 0.9], ["nesterov", False], ["betas", [0.9, 0.999]]],
           "params": [0, 1]}]
put("safetensors", "optimizer.safetensors", safetensors(
    {"0.momentum_buffer": ("F32", np.ones((2, 3), dtype=np.float32)),
     "1.momentum_buffer": ("F32", np.ones(2, dtype=np.float32))},
    metadata={"format": "ember.optim", "optimizer": "SGD", "param_groups": json.dumps(groups)}))
put("safetensors", "truncated.safetensors",
    safetensors({"w": ("F64", np.arange(8, dtype=np.float64))})[:-5])
# A header claiming 2^62 x 4 float32 values (whose byte count wraps to 0 in 64 bits) for no data.
text = json.dumps({"w": {"dtype": "F32", "shape": [2 ** 62, 4], "data_offsets": [0, 0]}}).encode()
put("safetensors", "huge_shape.safetensors", struct.pack("<Q", len(text)) + text)

# ---- images (stb) ----
def image(array, fmt, mode=None, **kw):
    f = io.BytesIO()
    Image.fromarray(array, mode).save(f, fmt, **kw)
    return f.getvalue()


rgb = rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)
gray = rng.integers(0, 256, (4, 7), dtype=np.uint8)
put("image", "rgb.png", image(rgb, "PNG"))
put("image", "gray.png", image(gray, "PNG"))
put("image", "rgba.png", image(np.dstack([rgb, rgb[..., :1]]), "PNG"))
palette = io.BytesIO()
Image.fromarray(rgb).convert("P").save(palette, "PNG")
put("image", "palette.png", palette.getvalue())
put("image", "rgb.jpg", image(rgb, "JPEG", quality=90))
put("image", "gray_progressive.jpg", image(gray, "JPEG", progressive=True))
put("image", "rgb.bmp", image(rgb, "BMP"))
put("image", "rgb.gif", image(rgb, "GIF"))
put("image", "gray.pgm", image(gray, "PPM"))
put("image", "rgb.ppm", image(rgb, "PPM"))
put("image", "rgb.tga", image(rgb, "TGA"))
put("image", "truncated.png", image(rgb, "PNG")[:60])
put("image", "huge.ppm", b"P6\n100000 100000\n255\n" + bytes(30))

# ---- tar archives (CIFAR's .tar.gz) ----
def tar(members, fmt=tarfile.USTAR_FORMAT, compress=False):
    f = io.BytesIO()
    with tarfile.open(fileobj=f, mode="w", format=fmt) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            t.addfile(info, io.BytesIO(data))
        d = tarfile.TarInfo("folder/")
        d.type = tarfile.DIRTYPE
        t.addfile(d)
    data = f.getvalue().rstrip(b"\0")
    data += b"\0" * (1024 + (-len(data)) % 512)
    return gz(data) if compress else data


members = [("cifar-10-batches-py/data_batch_1", b"\x80\x02}q\x00."), ("readme.txt", b"hello\n")]
put("tar", "ustar.tar", tar(members))
put("tar", "ustar.tar.gz", tar(members, compress=True))
put("tar", "gnu_longname.tar", tar([("d/" + "n" * 120, b"long")], fmt=tarfile.GNU_FORMAT))
put("tar", "pax.tar", tar([("p/" + "x" * 150, b"pax")], fmt=tarfile.PAX_FORMAT))
put("tar", "truncated.tar", tar(members)[:700])
put("tar", "escape.tar", tar([("../outside.txt", b"no")]))

# ---- zip archives (EMNIST's gzip.zip) ----
def zipped(members):
    f = io.BytesIO()
    with zipfile.ZipFile(f, "w") as z:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    return f.getvalue()


labels_gz = gz(idx(np.array([1, 2, 3], dtype=np.uint8), 0x08))
put("zip", "emnist.zip", zipped([("gzip/emnist-digits-test-labels-idx1-ubyte.gz", labels_gz, zipfile.ZIP_STORED),
                                 ("gzip/readme.txt", b"text " * 20, zipfile.ZIP_DEFLATED),
                                 ("gzip/", b"", zipfile.ZIP_STORED)]))
put("zip", "deflated_gz.zip", zipped([("a.gz", labels_gz, zipfile.ZIP_DEFLATED)]))
put("zip", "truncated.zip", zipped([("a.gz", labels_gz, zipfile.ZIP_DEFLATED)])[:-30])

# ---- CIFAR pickles (protocol 2, as the releases are) ----
def cifar_pickle(obj, cifar10=True):
    """fuzz_cifar_pickle reads inputs of even size as CIFAR10's files, odd ones as CIFAR100's:
    a byte after STOP (which the reader ignores) gives the seed the right parity."""
    data = pickle.dumps(obj, protocol=2)
    return data + (b"\0" if (len(data) % 2 == 0) != cifar10 else b"")


data = rng.integers(0, 256, (1, 3072), dtype=np.uint8)
put("cifar_pickle", "cifar10_batch.pickle", cifar_pickle(
    {"batch_label": "testing batch 1 of 1", "labels": [3], "data": data,
     "filenames": ["cat.png"], "label_names": ["airplane", "cat"]}))
put("cifar_pickle", "cifar100_batch.pickle", cifar_pickle(
    {"fine_labels": [19], "coarse_labels": [11], "data": data,
     "fine_label_names": ["apple", "cattle"]}, cifar10=False))
put("cifar_pickle", "python2_bytes.pickle", cifar_pickle({b"labels": [1, 2], b"data": [],
                                                         "label_names": [b"a"]}))
put("cifar_pickle", "truncated.pickle", cifar_pickle({"labels": [3], "data": data})[:300])
put("cifar_pickle", "nested.pickle", cifar_pickle({"x": [[1, (2, 3, None, True)], {"y": -(2 ** 40)}]}))

# ---- CIFAR-10 binary batches ----
record = bytes([6]) + bytes(rng.integers(0, 256, 3072, dtype=np.uint8))
put("cifar_binary", "two_records.bin", record + bytes([9]) + record[1:])
put("cifar_binary", "truncated.bin", record[:-1])
put("cifar_binary", "one_record.bin", record)
