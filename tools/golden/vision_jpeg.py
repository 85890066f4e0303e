"""Golden files for tests/vision/test_image_io_bounds.cpp: valid JPEGs that code their pixels in
very few bits (uniform images at quality 10: baseline grey, baseline 4:2:0 colour, progressive
4:2:0 colour), written by Pillow to tests/data/vision/jpeg/, and the size and pixels Pillow
decodes from them to tests/golden/vision_jpeg.json. load_image refuses a JPEG whose bytes cannot
code its blocks (a truncated file); these files are near that bound and must still load.
"""
import io
import os

import numpy as np
from PIL import Image

from common import ROOT, write_fixture

DATA = os.path.join(ROOT, "tests", "data", "vision", "jpeg")
os.makedirs(DATA, exist_ok=True)

files = {
    "gray_baseline.jpg": (Image.new("L", (1024, 768), 93), {}),
    "rgb_baseline_420.jpg": (Image.new("RGB", (640, 480), (200, 30, 90)), {"subsampling": 2}),
    "rgb_progressive_420.jpg": (Image.new("RGB", (640, 480), (20, 130, 240)),
                                {"subsampling": 2, "progressive": True}),
}
golden = {"files": {}}
for name, (image, options) in files.items():
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=10, **options)
    data = buffer.getvalue()
    with open(os.path.join(DATA, name), "wb") as f:
        f.write(data)
    decoded = np.array(Image.open(io.BytesIO(data)))
    values = decoded.reshape(-1, 1 if decoded.ndim == 2 else 3)
    golden["files"][name] = {
        "bytes": len(data),
        "width": image.width,
        "height": image.height,
        "channels": values.shape[1],
        # Uniform images decode to one value per channel (Pillow's; stb may round differently).
        "min": values.min(axis=0).tolist(),
        "max": values.max(axis=0).tolist(),
    }
write_fixture("vision_jpeg", __file__, golden)
