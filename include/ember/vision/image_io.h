// Image files (torchvision.io.read_image / PIL's Image.open and save): PNG, JPEG, BMP, PGM/PPM,
// GIF (first frame), TGA, PSD and HDR decode; PNG encodes. Decoding is stb_image's: PNG, BMP
// and PNM pixels equal PIL's; JPEG pixels may differ from PIL's libjpeg by a few levels.
#pragma once

#include <cstdint>
#include <string>

#include "ember/vision/image.h"

namespace ember::vision {

// The channels to decode to, as torchvision.io.ImageReadMode. An Image holds 1 or 3 channels,
// so alpha is dropped in every mode (as PIL's convert("RGB") and convert("L") drop it).
enum class ImageReadMode {
    Unchanged,  // grey images (with or without alpha) as 1 channel, colour images as 3
    Gray,       // 1 channel: colour is converted to luminance (stb's weights 77/150/29 / 256)
    RGB,        // 3 channels: grey is replicated, as PIL's convert("RGB")
};

// The image in a file. A missing or unreadable file, a corrupt image or an unsupported format
// (TIFF, WebP) is an ember::Error naming the file and the fault.
Image load_image(const std::string& path, ImageReadMode mode = ImageReadMode::Unchanged);

// The most pixels (width x height) load_image decodes; a file declaring more is an ember::Error
// (a corrupt header or a decompression bomb). The default, 178,956,970, is where Pillow raises
// DecompressionBombError (twice Image.MAX_IMAGE_PIXELS), so ember refuses what torchvision's
// loader refuses. Like Image.MAX_IMAGE_PIXELS it is one setting for the whole program: raise it
// for huge scans, lower it where files come from strangers. The limit must be positive.
int64_t max_image_pixels();
void set_max_image_pixels(int64_t limit);

// Writes `image` as an 8-bit PNG (grey or RGB), creating or replacing the file.
void save_png(const Image& image, const std::string& path);

}  // namespace ember::vision
