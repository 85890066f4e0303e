#!/usr/bin/env python3
"""`make demo` in miniature, for the test suite: the demo (examples/demo/fashion_mnist_cnn.cpp)
trains one epoch on the first 2,000 Fashion-MNIST training images and validates on 1,000 test
images; then checks that the loss fell, that accuracy beats chance (10%) by far, that the
TensorBoard event file holds every scalar and the checkpoint every file; that `--resume`
continues from the saved epoch and trains exactly what an uninterrupted two-epoch run trains;
and that the inference example loads the checkpoint.

    demo_short_run.py DEMO_PROGRAM INFERENCE_PROGRAM      (run in an empty scratch folder)
"""
import glob
import math
import os
import re
import shutil
import struct
import subprocess
import sys

SUBSET = ["--train-size", "2000", "--test-size", "1000", "--data", "data"]
BATCHES = 32  # ceil(2000 / 64)
EPOCH = re.compile(r"^epoch (\d+): train loss ([\d.]+), valid loss ([\d.]+), "
                   r"valid accuracy ([\d.]+)%, lr ([\d.]+)", re.M)
UNTRAINED = re.compile(r"^epoch 0: valid loss ([\d.]+), valid accuracy ([\d.]+)%", re.M)
failures = []


def check(condition, what):
    print(("ok:   " if condition else "FAIL: ") + what)
    if not condition:
        failures.append(what)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    print("$ " + " ".join(command) + "\n" + result.stdout + result.stderr)
    if result.returncode != 0:
        sys.exit(f"FAIL: exit status {result.returncode}")
    return result.stdout


def event_records(logdir):
    """The number of records in each event file of logdir (TFRecord framing: length, its CRC,
    data, its CRC), in name order; a truncated record is not counted."""
    counts = []
    for path in sorted(glob.glob(os.path.join(logdir, "events.out.tfevents.*"))):
        data, pos, n = open(path, "rb").read(), 0, 0
        while pos + 12 <= len(data):
            (length,) = struct.unpack_from("<Q", data, pos)
            if pos + 12 + length + 4 > len(data):
                break
            pos += 12 + length + 4
            n += 1
        counts.append(n)
    return counts


def epochs_of(output):
    return {int(m.group(1)): tuple(float(v) for v in m.groups()[1:]) for m in EPOCH.finditer(output)}


def main():
    demo, inference = sys.argv[1], sys.argv[2]
    for folder in ("runs", "checkpoints"):
        shutil.rmtree(folder, ignore_errors=True)

    # One epoch.
    first = run([demo, "--epochs", "1", "--logdir", "runs/a", "--checkpoints", "checkpoints/a"]
                + SUBSET)
    untrained = UNTRAINED.search(first)
    epochs = epochs_of(first)
    check(untrained is not None and list(epochs) == [1], "an untrained pass, then epoch 1")
    if failures:
        sys.exit(1)
    train_loss, valid_loss, accuracy, lr = epochs[1]
    check(train_loss < math.log(10), f"train loss {train_loss} below ln(10), chance's loss")
    check(valid_loss < float(untrained.group(1)) - 0.5,
          f"valid loss fell from {untrained.group(1)} to {valid_loss}")
    check(accuracy > 35.0, f"valid accuracy {accuracy}% far above chance (10%)")
    check(lr == 0.01, "epoch 1 trains at the initial learning rate")
    # file_version, then one scalar per step and four per epoch.
    check(event_records("runs/a") == [1 + BATCHES + 4],
          f"event file records {event_records('runs/a')} == [{1 + BATCHES + 4}]")
    for name in ("model", "optimizer", "trainer"):
        path = f"checkpoints/a/epoch_1/{name}.safetensors"
        check(os.path.getsize(path) > 0 if os.path.exists(path) else False, f"{path} written")

    # Resumed to two epochs, against an uninterrupted two-epoch run.
    resumed = run([demo, "--epochs", "2", "--resume", "--logdir", "runs/a", "--checkpoints",
                   "checkpoints/a"] + SUBSET)
    check("resumed from checkpoints/a/epoch_1 (epoch 1)" in resumed, "--resume finds epoch 1")
    check(list(epochs_of(resumed)) == [2] and UNTRAINED.search(resumed) is None,
          "the resumed run trains epoch 2 only")
    straight = run([demo, "--epochs", "2", "--logdir", "runs/b", "--checkpoints", "checkpoints/b"]
                   + SUBSET)
    check(epochs_of(straight).get(1) == epochs[1], "the same epoch 1 from the same seed")
    check(epochs_of(resumed).get(2) == epochs_of(straight).get(2),
          f"resumed epoch 2 {epochs_of(resumed).get(2)} == uninterrupted epoch 2 "
          f"{epochs_of(straight).get(2)}")
    check(event_records("runs/a") == [1 + BATCHES + 4] * 2, "the resumed run's own event file")
    check(os.path.isdir("checkpoints/a/epoch_2"), "a checkpoint for epoch 2")

    # Inference from the checkpoint.
    classified = run([inference, "checkpoints/a", "data", "3"])
    check("loaded checkpoints/a/epoch_2/model.safetensors (trained 2 epochs)" in classified,
          "the inference example loads the newest checkpoint")
    test_accuracy = re.search(r"test accuracy ([\d.]+)% on 10000 images", classified)
    check(test_accuracy is not None and float(test_accuracy.group(1)) > 35.0,
          "the loaded model classifies the test set far above chance")

    if failures:
        sys.exit(f"FAIL: {len(failures)} checks failed")
    print("OK")


if __name__ == "__main__":
    main()
