"""Reads every run under a log dir with TensorBoard's own event reader
(tensorboard.backend.event_processing.event_accumulator) and prints one JSON object:
{run (path relative to the log dir, "." for the top): {"scalars", "histograms", "images",
"texts", "hparams"}}. The ember tensorboard tests run it with the golden venv
(build/golden-venv/bin/python after `pip install -r tools/golden/requirements.txt`) to check
that TensorBoard reads ember's files. Usage: tensorboard_read.py LOG_DIR"""
import io
import json
import os
import sys

from google.protobuf import json_format
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.plugins.hparams import plugin_data_pb2

try:
    from PIL import Image
except ImportError:  # image sizes are then read from the proto only
    Image = None


def read_run(path):
    acc = ea.EventAccumulator(path, size_guidance={
        ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.IMAGES: 0, ea.TENSORS: 0})
    acc.Reload()
    tags = acc.Tags()
    run = {"scalars": {}, "histograms": {}, "images": {}, "texts": {}, "hparams": {}}
    for tag in tags[ea.SCALARS]:
        run["scalars"][tag] = [[e.step, e.value] for e in acc.Scalars(tag)]
    for tag in tags[ea.HISTOGRAMS]:
        run["histograms"][tag] = [{
            "step": e.step, "min": e.histogram_value.min, "max": e.histogram_value.max,
            "num": e.histogram_value.num, "sum": e.histogram_value.sum,
            "sum_squares": e.histogram_value.sum_squares,
            "bucket_limit": list(e.histogram_value.bucket_limit),
            "bucket": list(e.histogram_value.bucket)} for e in acc.Histograms(tag)]
    for tag in tags[ea.IMAGES]:
        images = []
        for e in acc.Images(tag):
            item = {"step": e.step, "width": e.width, "height": e.height}
            if Image is not None:
                decoded = Image.open(io.BytesIO(e.encoded_image_string))
                item["png_width"], item["png_height"] = decoded.size
                item["png_mode"] = decoded.mode
            images.append(item)
        run["images"][tag] = images
    for tag in tags[ea.TENSORS]:
        events = acc.Tensors(tag)
        if tag.endswith("/text_summary"):
            run["texts"][tag] = [[e.step, e.tensor_proto.string_val[0].decode("utf-8")]
                                 for e in events]
    try:
        hparams_content = acc.PluginTagToContent("hparams")
    except KeyError:  # no hparams in this run
        hparams_content = {}
    for tag, content in hparams_content.items():
        data = plugin_data_pb2.HParamsPluginData.FromString(content)
        run["hparams"][tag] = json_format.MessageToDict(data)
    return run


def main():
    log_dir = sys.argv[1]
    runs = {}
    for root, _, files in os.walk(log_dir):
        if any(name.startswith("events.out.tfevents.") for name in files):
            runs[os.path.relpath(root, log_dir)] = read_run(root)
    json.dump(runs, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
