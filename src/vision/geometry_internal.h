// Helpers shared by the geometry and colour transforms: the image/tensor checks, the pixel
// remapping kernel behind pad, crop and flip, and torchvision's random draws.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ember/vision/geometry.h"

namespace ember::vision::transforms::detail {

// The tensor path's first check (torchvision's _assert_image_tensor): at least [H, W].
void check_tensor_image(const Tensor& img, const char* op);
// (channels, height, width) of an Image or a tensor image, checked for `op`.
std::vector<int64_t> image_dims(const ImageOrTensor& img, const char* op);

// Pixels addressed as `planes` planes of rows x cols pixels of `inner` interleaved values: an
// Image is one plane with inner = C, a contiguous tensor [..., H, W] is numel / (H W) planes
// with inner = 1.
struct PlaneLayout {
    int64_t planes, rows, cols, inner;
};

// out[p][r][c][k] = in[p][row_map[r]][col_map[c]][k], or fill[k] where a map entry is -1.
// `fill` holds `inner` values of the pixel type. Runs for every dtype.
Tensor remap_pixels(const Tensor& in, PlaneLayout layout, const std::vector<int64_t>& row_map,
                    const std::vector<int64_t>& col_map, const std::vector<double>& fill,
                    IntArrayRef out_sizes);

// Applies a row map and a column map to an Image or a tensor image (fill: one value per
// channel for an Image, one value for a tensor).
ImageOrTensor remap_image(const ImageOrTensor& img, const std::vector<int64_t>& row_map,
                          const std::vector<int64_t>& col_map, const std::vector<double>& fill);

// torch.rand(1) < p, as torchvision's random flips and erasing decide.
bool draw_below(double p);
// torch.randint(0, high, (1,)).item().
int64_t draw_index(int64_t high);
// torch.empty(1).uniform_(from, to).item(): a float32 draw widened to double.
double draw_uniform(double from, double to);
// Python's round() to an int (half to even).
inline int64_t round_half_even(double v) {
    return static_cast<int64_t>(std::nearbyint(v));
}

// torchvision's _setup_size: an int -> (s, s), one value -> (v, v), two -> (h, w).
std::pair<int64_t, int64_t> setup_size(const IntOrList& size, const char* op);
// "(0.08, 1.0)": a Python tuple of floats.
std::string py_float_pair(std::pair<double, double> v);

}  // namespace ember::vision::transforms::detail
