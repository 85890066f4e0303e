// IDX files (the MNIST family's format): a big-endian header of two zero bytes, an element type
// code (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) and a
// dimension count, then one big-endian uint32 per dimension, then the elements in row-major
// order, big-endian.
#pragma once

#include <string>

#include "ember/core/tensor.h"

namespace ember::vision::datasets {

// The tensor an IDX file holds, read from the file itself or, when it is gzipped (by its magic
// bytes, whatever its name), from the decompressed stream. 1 to 3 dimensions, as torchvision
// reads them. A wrong magic number, an unknown type code, a dimension count outside 1..3 or a
// data size that differs from the header's shape is an ember::Error naming the file.
Tensor read_idx(const std::string& path);

}  // namespace ember::vision::datasets
