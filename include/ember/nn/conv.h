// Convolution layers (nn::Conv1d, nn::Conv2d, nn::ConvTranspose2d) and their functional forms
// (nn::functional::conv1d, conv2d, conv_transpose2d), as PyTorch's.
//
// Optional arguments are aggregates in PyTorch's keyword order; sizes take an int or a braced
// pair, padding also "same" or "valid":
//
//   nn::Conv2d conv1(3, 64, 5);
//   nn::Conv2d conv2(3, 8, 3, {.stride = 2, .padding = 1});
//   nn::Conv2d conv3(4, 8, {3, 5}, {.padding = "same", .groups = 2, .padding_mode = "reflect"});
//   Tensor y = F::conv2d(x, w, b, {.stride = {2, 1}, .dilation = 2});
//
// Inputs are batched (N, C, *spatial) or unbatched (C, *spatial). The computation is
// ember::convolution (ember/ops/conv.h): one ConvolutionBackward0 node, differentiable to any
// order. Layers are initialised as PyTorch's (kaiming_uniform_(a=sqrt(5)) for the weight, then
// uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias), so the same seed gives the same
// weights.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "ember/core/error.h"
#include "ember/core/tensor.h"
#include "ember/nn/module.h"
#include "ember/ops/conv.h"

namespace ember::nn {

// N sizes given as one int (repeated) or a braced list of N: `3`, `{3, 5}`.
template <size_t N>
struct ExpandingArray {
    ExpandingArray(int64_t v) { values.fill(v); }  // NOLINT: an int is the common case
    ExpandingArray(std::initializer_list<int64_t> list) {  // NOLINT
        EMBER_CHECK(list.size() == 1 || list.size() == N, "expected a single value or a list of ",
                    N, " values, got ", list.size(), " values");
        for (size_t i = 0; i < N; ++i) values[i] = list.size() == 1 ? *list.begin() : list.begin()[i];
    }
    IntArrayRef ref() const { return IntArrayRef(values.data(), N); }
    std::array<int64_t, N> values{};
};

// A convolution's padding: sizes as ExpandingArray, or "same" / "valid".
template <size_t N>
struct ConvPadding {
    ConvPadding(int v) : sizes(int64_t{v}) {}  // NOLINT (int and not just int64_t: 0 must not
    ConvPadding(int64_t v) : sizes(v) {}        // NOLINT  read as a null const char*)
    ConvPadding(std::initializer_list<int64_t> list) : sizes(list) {}  // NOLINT
    ConvPadding(const char* mode) : sizes(0), mode(mode) {}            // NOLINT
    ConvPadding(std::string mode) : sizes(0), mode(std::move(mode)) {} // NOLINT
    ExpandingArray<N> sizes;
    std::string mode;  // "same" or "valid", or empty when sizes are given
};

namespace functional {

struct Conv1dFuncOptions {
    ExpandingArray<1> stride = 1;
    ConvPadding<1> padding = 0;
    ExpandingArray<1> dilation = 1;
    int64_t groups = 1;
};

struct Conv2dFuncOptions {
    ExpandingArray<2> stride = 1;
    ConvPadding<2> padding = 0;
    ExpandingArray<2> dilation = 1;
    int64_t groups = 1;
};

struct ConvTranspose2dFuncOptions {
    ExpandingArray<2> stride = 1;
    ExpandingArray<2> padding = 0;
    ExpandingArray<2> output_padding = 0;
    int64_t groups = 1;
    ExpandingArray<2> dilation = 1;
};

// input (N, C_in, L) or (C_in, L); weight (C_out, C_in / groups, k); bias (C_out) or undefined.
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
              const Conv1dFuncOptions& options = {});
// input (N, C_in, H, W) or (C_in, H, W); weight (C_out, C_in / groups, kH, kW).
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
              const Conv2dFuncOptions& options = {});
// input (N, C_in, H, W) or (C_in, H, W); weight (C_in, C_out / groups, kH, kW); output size
// (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1.
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                        const ConvTranspose2dFuncOptions& options = {});

}  // namespace functional

struct Conv1dOptions {
    ExpandingArray<1> stride = 1;
    ConvPadding<1> padding = 0;
    ExpandingArray<1> dilation = 1;
    int64_t groups = 1;
    bool bias = true;
    std::string padding_mode = "zeros";  // "zeros", "reflect", "replicate" or "circular"
};

struct Conv2dOptions {
    ExpandingArray<2> stride = 1;
    ConvPadding<2> padding = 0;
    ExpandingArray<2> dilation = 1;
    int64_t groups = 1;
    bool bias = true;
    std::string padding_mode = "zeros";  // "zeros", "reflect", "replicate" or "circular"
};

struct ConvTranspose2dOptions {
    ExpandingArray<2> stride = 1;
    ExpandingArray<2> padding = 0;
    ExpandingArray<2> output_padding = 0;
    int64_t groups = 1;
    bool bias = true;
    ExpandingArray<2> dilation = 1;
    std::string padding_mode = "zeros";  // only "zeros", as in PyTorch
};

// What every convolution layer holds (PyTorch's _ConvNd); the public members are PyTorch's
// attributes.
class ConvNd : public Module {
public:
    std::string extra_repr() const override;

    int64_t in_channels, out_channels;
    DimVector kernel_size, stride, padding, dilation;
    std::string padding_str;  // "same" / "valid" when padding was given as a string
    bool transposed;
    DimVector output_padding;
    int64_t groups;
    std::string padding_mode;
    // (out_channels, in_channels / groups, *kernel_size), transposed: (in_channels,
    // out_channels / groups, *kernel_size).
    Tensor& weight;
    Tensor& bias;  // (out_channels), undefined without bias

protected:
    // Everything a layer's constructor resolves from its arguments.
    struct Args {
        const char* type;
        int64_t in_channels, out_channels;
        DimVector kernel_size, stride, padding;
        std::string padding_str;
        DimVector dilation;
        bool transposed;
        DimVector output_padding;
        int64_t groups;
        bool bias;
        std::string padding_mode;
    };
    explicit ConvNd(const Args& args);
    // The input padded explicitly for a padding_mode other than "zeros" (PyTorch's F.pad).
    Tensor pad_input(const Tensor& input) const;
};

class Conv1d : public ConvNd {
public:
    Conv1d(int64_t in_channels, int64_t out_channels, ExpandingArray<1> kernel_size,
           const Conv1dOptions& options = {});
    Tensor forward(const Tensor& input) override;
};

class Conv2d : public ConvNd {
public:
    Conv2d(int64_t in_channels, int64_t out_channels, ExpandingArray<2> kernel_size,
           const Conv2dOptions& options = {});
    Tensor forward(const Tensor& input) override;
};

class ConvTranspose2d : public ConvNd {
public:
    ConvTranspose2d(int64_t in_channels, int64_t out_channels, ExpandingArray<2> kernel_size,
                    const ConvTranspose2dOptions& options = {});
    Tensor forward(const Tensor& input) override;
};

}  // namespace ember::nn
