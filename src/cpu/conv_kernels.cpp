// CPU im2col / col2im, the data movement behind the convolutions (src/ops/conv.cpp), for
// float32 and float64. Both split the work by (sample, channel) planes: each plane of the
// result is written by one thread in a fixed order, so results do not depend on the number of
// threads.
#include <algorithm>
#include <cstring>

#include "ember/core/parallel.h"
#include "ember/core/tensor.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

// The input columns [lo, hi) that window column ox reads for kernel column j: positions
// x = ox * stride - pad + j * dilation inside [0, width). Returns them as a range of ox.
struct ValidRange {
    int64_t lo, hi;
};

ValidRange valid_outputs(int64_t offset, int64_t stride, int64_t size, int64_t out) {
    // offset + ox * stride in [0, size)  <=>  ox in [ceil(-offset / stride), ceil((size - offset) / stride))
    auto ceil_div = [](int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); };
    const int64_t lo = std::clamp<int64_t>(ceil_div(-offset, stride), 0, out);
    const int64_t hi = std::clamp<int64_t>(ceil_div(size - offset, stride), lo, out);
    return {lo, hi};
}

// One (sample, channel) plane: its kH * kW rows of the columns, each oH * oW long and
// `row_stride` apart.
template <class T>
void im2col_plane(T* cols, int64_t row_stride, const T* in, const ConvGeometry& g) {
    const int64_t L = g.out_h * g.out_w;
    for (int64_t i = 0; i < g.kernel_h; ++i) {
        const int64_t y_off = i * g.dilation_h - g.pad_top;
        const ValidRange ry = valid_outputs(y_off, g.stride_h, g.height, g.out_h);
        for (int64_t j = 0; j < g.kernel_w; ++j, cols += row_stride) {
            const int64_t x_off = j * g.dilation_w - g.pad_left;
            const ValidRange rx = valid_outputs(x_off, g.stride_w, g.width, g.out_w);
            std::fill(cols, cols + ry.lo * g.out_w, T(0));
            for (int64_t oy = ry.lo; oy < ry.hi; ++oy) {
                T* row = cols + oy * g.out_w;
                const T* src = in + (y_off + oy * g.stride_h) * g.width + x_off;
                std::fill(row, row + rx.lo, T(0));
                if (g.stride_w == 1)
                    std::memcpy(row + rx.lo, src + rx.lo, sizeof(T) * (rx.hi - rx.lo));
                else
                    for (int64_t ox = rx.lo; ox < rx.hi; ++ox) row[ox] = src[ox * g.stride_w];
                std::fill(row + rx.hi, row + g.out_w, T(0));
            }
            std::fill(cols + ry.hi * g.out_w, cols + L, T(0));
        }
    }
}

// The adjoint: the plane (zeroed first) accumulates its kH * kW rows in kernel order.
template <class T>
void col2im_plane(T* out, const T* cols, int64_t row_stride, const ConvGeometry& g) {
    std::fill(out, out + g.height * g.width, T(0));
    for (int64_t i = 0; i < g.kernel_h; ++i) {
        const int64_t y_off = i * g.dilation_h - g.pad_top;
        const ValidRange ry = valid_outputs(y_off, g.stride_h, g.height, g.out_h);
        for (int64_t j = 0; j < g.kernel_w; ++j, cols += row_stride) {
            const int64_t x_off = j * g.dilation_w - g.pad_left;
            const ValidRange rx = valid_outputs(x_off, g.stride_w, g.width, g.out_w);
            for (int64_t oy = ry.lo; oy < ry.hi; ++oy) {
                const T* row = cols + oy * g.out_w;
                T* dst = out + (y_off + oy * g.stride_h) * g.width + x_off;
                for (int64_t ox = rx.lo; ox < rx.hi; ++ox) dst[ox * g.stride_w] += row[ox];
            }
        }
    }
}

// Planes per task: about kGrainSize elements of columns each.
int64_t plane_grain(const ConvGeometry& g) {
    const int64_t per_plane = std::max<int64_t>(1, g.kernel_h * g.kernel_w * g.out_h * g.out_w);
    return std::max<int64_t>(1, kGrainSize / per_plane);
}

// Where plane p = (n, c) of a batch of `batch` images starts in the columns: row c * kH * kW,
// column n * L.
int64_t plane_offset(int64_t p, int64_t batch, const ConvGeometry& g) {
    const int64_t L = g.out_h * g.out_w, n = p / g.channels, c = p % g.channels;
    return c * g.kernel_h * g.kernel_w * batch * L + n * L;
}

template <class T>
void im2col_typed(const Tensor& cols, const Tensor& input, const ConvGeometry& g) {
    const int64_t batch = input.size(0), planes = batch * g.channels;
    const int64_t row_stride = batch * g.out_h * g.out_w;
    const T* in = input.data_ptr<T>();
    T* out = cols.data_ptr<T>();
    parallel_for(0, planes, plane_grain(g), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p)
            im2col_plane(out + plane_offset(p, batch, g), row_stride,
                         in + p * g.height * g.width, g);
    });
}

template <class T>
void col2im_typed(const Tensor& out, const Tensor& cols, const ConvGeometry& g) {
    const int64_t batch = out.size(0), planes = batch * g.channels;
    const int64_t row_stride = batch * g.out_h * g.out_w;
    const T* in = cols.data_ptr<T>();
    T* o = out.data_ptr<T>();
    parallel_for(0, planes, plane_grain(g), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p)
            col2im_plane(o + p * g.height * g.width, in + plane_offset(p, batch, g), row_stride,
                         g);
    });
}

void im2col_kernel(const Tensor& cols, const Tensor& input, const ConvGeometry& g) {
    if (input.dtype() == DType::Float64) im2col_typed<double>(cols, input, g);
    else im2col_typed<float>(cols, input, g);
}

void col2im_kernel(const Tensor& out, const Tensor& cols, const ConvGeometry& g) {
    if (out.dtype() == DType::Float64) col2im_typed<double>(out, cols, g);
    else col2im_typed<float>(out, cols, g);
}

}  // namespace

void register_cpu_conv_direct_kernels(Kernels& k);  // src/cpu/conv_direct.cpp

void register_cpu_conv_kernels(Kernels& k) {
    k.im2col = im2col_kernel;
    k.col2im = col2im_kernel;
    register_cpu_conv_direct_kernels(k);
}

}  // namespace ember::detail
