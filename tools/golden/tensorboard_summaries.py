"""Golden values for ember/tensorboard (SummaryWriter's summaries) from
torch.utils.tensorboard.summary: histogram buckets (default 'tensorflow' bins, a bin count,
explicit edges, max_bins merging, a constant input), images (CHW, HWC, HW, NCHW grids, uint8
and float, 1/3/4 channels: size, colorspace and the decoded PNG pixels) and the serialized
hparams summaries. Run with the golden venv (build/golden-venv/bin/python, which has the
tensorboard package torch.utils.tensorboard needs); writes tests/golden/tensorboard_summaries.json."""
import io

import numpy as np
import torch
from PIL import Image
from torch.utils.tensorboard import summary

from common import tensor_json, write_fixture

torch.manual_seed(0)


class _NumpyShim:
    """torch 1.13's make_histogram calls np.greater(counts, 0, dtype=np.int32), which this numpy
    rejects; later PyTorch drops the dtype. The same values, computed the way numpy accepts."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def greater(a, b, dtype=None):
        out = np.greater(a, b)
        return out.astype(dtype) if dtype is not None else out


summary.np = _NumpyShim()

histograms = []


def default_bins():
    # SummaryWriter.__init__'s default_bins, used for bins="tensorflow" (writer.py).
    v, buckets, neg_buckets = 1e-12, [], []
    while v < 1e20:
        buckets.append(v)
        neg_buckets.append(-v)
        v *= 1.1
    return neg_buckets[::-1] + [0] + buckets


def add_histogram(name, values, bins="tensorflow", max_bins=None):
    edges = default_bins() if isinstance(bins, str) and bins == "tensorflow" else bins
    proto = summary.histogram("h", values, edges, max_bins=max_bins).value[0].histo
    histograms.append({
        "name": name, "values": tensor_json(values),
        "bins": bins if not isinstance(bins, np.ndarray) else bins.tolist(),
        "max_bins": max_bins,
        "min": proto.min, "max": proto.max, "num": proto.num, "sum": proto.sum,
        "sum_squares": proto.sum_squares,
        "bucket_limit": list(proto.bucket_limit), "bucket": list(proto.bucket),
    })


add_histogram("reference_example", torch.tensor([0.5, 1.0, 1.0, 2.0], dtype=torch.float64))
add_histogram("randn_default", torch.randn(3, 7))
add_histogram("negative_zero_positive", torch.tensor([-3.0, 0.0, 0.0, 1e-13, 5.0]))
add_histogram("int_values", torch.tensor([1, 2, 2, 3, 7, 7, 7], dtype=torch.int64))
add_histogram("bin_count", torch.randn(40), bins=10)
add_histogram("bin_count_constant", torch.full((5,), 2.5), bins=4)
add_histogram("explicit_edges", torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 2.0, 3.5]),
              bins=np.array([0.0, 1.0, 2.0, 3.0]))
add_histogram("max_bins_merge", torch.randn(50), bins=25, max_bins=7)

images = []


def add_image(name, tensor, dataformats, batch=False):
    fn = summary.image
    img = fn("i", tensor, dataformats=dataformats).value[0].image
    pixels = np.array(Image.open(io.BytesIO(img.encoded_image_string)))
    images.append({
        "name": name, "input": tensor_json(tensor), "dataformats": dataformats,
        "height": img.height, "width": img.width, "colorspace": img.colorspace,
        "pixels": pixels.reshape(-1).tolist(),
    })


add_image("chw_float", torch.rand(3, 4, 5), "CHW")
add_image("hwc_uint8", torch.randint(0, 256, (3, 2, 3), dtype=torch.uint8), "HWC")
add_image("hw_float", torch.rand(3, 5), "HW")
add_image("chw_one_channel", torch.rand(1, 2, 3), "CHW")
add_image("hwc_rgba", torch.rand(2, 3, 4), "HWC")
add_image("nchw_grid", torch.rand(10, 3, 2, 2), "NCHW")
add_image("nhwc_gray_grid", torch.randint(0, 256, (3, 2, 3, 1), dtype=torch.uint8), "NHWC")

exp, ssi, sei = summary.hparams({"lr": 0.1}, {"hparam/accuracy": 0.9, "hparam/loss": 0.2})
exp_str, ssi_str, _ = summary.hparams({"optimizer": "sgd", "bsize": 32, "nesterov": True}, {"m": 1})
hparams = {
    "experiment_number": exp.SerializeToString().hex(),
    "session_start_number": ssi.SerializeToString().hex(),
    "session_end": sei.SerializeToString().hex(),
    "experiment_mixed": exp_str.SerializeToString().hex(),
    "session_start_mixed": ssi_str.SerializeToString().hex(),
}

write_fixture("tensorboard_summaries", __file__,
              {"histograms": histograms, "images": images, "hparams": hparams})
