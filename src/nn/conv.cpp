// Conv1d, Conv2d, ConvTranspose2d and functional conv1d / conv2d / conv_transpose2d.
#include "ember/nn/conv.h"

#include <cmath>

#include "ember/nn/init.h"
#include "ember/ops/conv.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "nn/repr.h"

namespace ember::nn {

namespace {

// (before, after) per spatial dim for padding="same": a total of dilation * (kernel - 1), the
// smaller half before, as PyTorch.
DimVector same_padding(IntArrayRef kernel, IntArrayRef dilation) {
    DimVector pads;
    for (size_t i = 0; i < kernel.size(); ++i) {
        const int64_t total = dilation[i] * (kernel[i] - 1);
        pads.push_back(total / 2);
        pads.push_back(total - total / 2);
    }
    return pads;
}

bool all_equal(IntArrayRef values, int64_t v) {
    for (int64_t x : values)
        if (x != v) return false;
    return true;
}

// The functional convolutions: checks the input's rank, resolves string padding, and runs
// ember::convolution, with a batch dim of 1 added to an unbatched input.
Tensor conv_nd(const char* op, int64_t nd, const Tensor& input, const Tensor& weight,
               const Tensor& bias, IntArrayRef stride, const std::string& padding_mode,
               IntArrayRef padding, IntArrayRef dilation, bool transposed,
               IntArrayRef output_padding, int64_t groups) {
    input.check_defined(op);
    weight.check_defined(op);
    EMBER_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, "Expected ", nd + 1,
                "D (unbatched) or ", nd + 2, "D (batched) input to ", op,
                ", but got input of size: ", shape_str(input.sizes()));
    EMBER_CHECK(weight.dim() == nd + 2, op, ": expected a ", nd + 2, "-D weight (",
                transposed ? "in_channels, out_channels / groups" : "out_channels, in_channels / groups",
                nd == 1 ? ", kernel" : ", kH, kW", "), but got weight of size ",
                shape_str(weight.sizes()));
    DimVector pad = padding.dims();
    if (padding_mode == "valid") {
        pad.assign(nd, 0);
    } else if (padding_mode == "same") {
        for (int64_t s : stride)
            EMBER_CHECK(s == 1, "padding='same' is not supported for strided convolutions");
        pad = same_padding(IntArrayRef(weight.sizes().data() + 2, nd), dilation);
    } else {
        EMBER_CHECK(padding_mode.empty(), "Invalid padding string: '", padding_mode, "'");
    }
    const bool batched = input.dim() == nd + 2;
    Tensor out = convolution(batched ? input : input.unsqueeze(0), weight, bias, stride, pad,
                             dilation, transposed, output_padding, groups);
    return batched ? out : out.squeeze(0);
}

// ---- layer construction ---------------------------------------------------------------------

// PyTorch's _ConvNd argument checks, then the weight drawn with kaiming_uniform_(a=sqrt(5)).
Tensor conv_weight(const char* type, int64_t in, int64_t out, IntArrayRef kernel, IntArrayRef stride,
                   const std::string& padding_str, int64_t groups, bool transposed,
                   const std::string& padding_mode) {
    EMBER_CHECK(in >= 0 && out >= 0, type, ": in_channels and out_channels must be non-negative, "
                "got ", in, " and ", out);
    for (int64_t k : kernel)
        EMBER_CHECK(k > 0, type, ": kernel_size must be positive, got ", py_tuple(kernel));
    EMBER_CHECK(groups > 0, type, ": groups must be a positive integer");
    EMBER_CHECK(in % groups == 0, type, ": in_channels must be divisible by groups (in_channels=",
                in, ", groups=", groups, ")");
    EMBER_CHECK(out % groups == 0, type,
                ": out_channels must be divisible by groups (out_channels=", out, ", groups=",
                groups, ")");
    if (!padding_str.empty()) {
        EMBER_CHECK(padding_str == "same" || padding_str == "valid", type,
                    ": Invalid padding string '", padding_str,
                    "', should be one of {'valid', 'same'}");
        if (padding_str == "same")
            for (int64_t s : stride)
                EMBER_CHECK(s == 1, type, ": padding='same' is not supported for strided "
                            "convolutions");
    }
    EMBER_CHECK(padding_mode == "zeros" || padding_mode == "reflect" ||
                    padding_mode == "replicate" || padding_mode == "circular",
                type, ": padding_mode must be one of {'zeros', 'reflect', 'replicate', "
                "'circular'}, but got padding_mode='", padding_mode, "'");
    DimVector sizes = transposed ? DimVector{in, out / groups} : DimVector{out, in / groups};
    for (int64_t k : kernel) sizes.push_back(k);
    Tensor w = empty(sizes);
    init::kaiming_uniform_(w, std::sqrt(5.0));
    return w;
}

// The bias, uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the weight's fan_in.
Tensor conv_bias(const Tensor& weight, int64_t out_channels, bool bias) {
    if (!bias) return {};
    Tensor b = empty({out_channels});
    const int64_t fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    const double bound = fan_in > 0 ? 1 / std::sqrt(static_cast<double>(fan_in)) : 0;
    init::uniform_(b, -bound, bound);
    return b;
}

// Positions [-before, size + after) of a dim mapped into [0, size) by a padding mode.
Tensor pad_index(int64_t size, int64_t before, int64_t after, const std::string& mode) {
    std::vector<int64_t> idx;
    for (int64_t i = -before; i < size + after; ++i) {
        int64_t j = i;
        if (mode == "reflect") j = i < 0 ? -i : (i >= size ? 2 * (size - 1) - i : i);
        else if (mode == "replicate") j = i < 0 ? 0 : (i >= size ? size - 1 : i);
        else j = ((i % size) + size) % size;  // circular
        idx.push_back(j);
    }
    return tensor(idx);
}

}  // namespace

// ---- functional ------------------------------------------------------------------------------

namespace functional {

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
              const Conv1dFuncOptions& o) {
    return conv_nd("conv1d", 1, input, weight, bias, o.stride.ref(), o.padding.mode,
                   o.padding.sizes.ref(), o.dilation.ref(), false, 0, o.groups);
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
              const Conv2dFuncOptions& o) {
    return conv_nd("conv2d", 2, input, weight, bias, o.stride.ref(), o.padding.mode,
                   o.padding.sizes.ref(), o.dilation.ref(), false, 0, o.groups);
}

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const ConvTranspose2dFuncOptions& o) {
    return conv_nd("conv_transpose2d", 2, input, weight, bias, o.stride.ref(), "",
                   o.padding.ref(), o.dilation.ref(), true, o.output_padding.ref(), o.groups);
}

}  // namespace functional

// ---- the layers -------------------------------------------------------------------------------

ConvNd::ConvNd(const Args& a)
    : in_channels(a.in_channels),
      out_channels(a.out_channels),
      kernel_size(a.kernel_size),
      stride(a.stride),
      padding(a.padding),
      dilation(a.dilation),
      padding_str(a.padding_str),
      transposed(a.transposed),
      output_padding(a.output_padding),
      groups(a.groups),
      padding_mode(a.padding_mode),
      weight(register_parameter(
          "weight", conv_weight(a.type, a.in_channels, a.out_channels, a.kernel_size, a.stride,
                                a.padding_str, a.groups, a.transposed, a.padding_mode))),
      bias(register_parameter("bias", conv_bias(weight, a.out_channels, a.bias))) {}

std::string ConvNd::extra_repr() const {
    std::string s = detail::str_cat(in_channels, ", ", out_channels, ", kernel_size=",
                                    py_tuple(kernel_size), ", stride=", py_tuple(stride));
    if (!padding_str.empty()) s += ", padding=" + padding_str;
    else if (!all_equal(padding, 0)) s += ", padding=" + py_tuple(padding);
    if (!all_equal(dilation, 1)) s += ", dilation=" + py_tuple(dilation);
    if (!all_equal(output_padding, 0)) s += ", output_padding=" + py_tuple(output_padding);
    if (groups != 1) s += detail::str_cat(", groups=", groups);
    if (!bias.defined()) s += ", bias=False";
    if (padding_mode != "zeros") s += ", padding_mode=" + padding_mode;
    return s;
}

Tensor ConvNd::pad_input(const Tensor& input) const {
    const int64_t nd = static_cast<int64_t>(kernel_size.size());
    input.check_defined(type_name().c_str());
    EMBER_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, "Expected ", nd + 1,
                "D (unbatched) or ", nd + 2, "D (batched) input to conv", nd,
                "d, but got input of size: ", shape_str(input.sizes()));
    const DimVector pads = padding_str == "same" ? same_padding(kernel_size, dilation) : [&] {
        DimVector p;
        for (int64_t v : padding) {
            p.push_back(padding_str == "valid" ? 0 : v);
            p.push_back(padding_str == "valid" ? 0 : v);
        }
        return p;
    }();
    Tensor x = input;
    for (int64_t i = 0; i < nd; ++i) {
        const int64_t dim = input.dim() - nd + i, size = input.size(dim);
        const int64_t before = pads[2 * i], after = pads[2 * i + 1];
        if (before == 0 && after == 0) continue;
        if (padding_mode == "reflect")
            EMBER_CHECK(before < size && after < size, "padding_mode='reflect': Padding size "
                        "should be less than the corresponding input dimension, but got: "
                        "padding (", before, ", ", after, ") at dimension ", dim, " of input ",
                        shape_str(input.sizes()));
        else if (padding_mode == "circular")
            EMBER_CHECK(before <= size && after <= size, "padding_mode='circular': padding (", before,
                        ", ", after, ") at dimension ", dim, " of input ",
                        shape_str(input.sizes()), " would wrap around more than once");
        else
            EMBER_CHECK(size > 0, "padding_mode='replicate': dimension ", dim, " of input ",
                        shape_str(input.sizes()), " is empty");
        x = index_select(x, dim, pad_index(size, before, after, padding_mode).to(kCPU));
    }
    return x;
}

Conv1d::Conv1d(int64_t in, int64_t out, ExpandingArray<1> k, const Conv1dOptions& o)
    : ConvNd({"Conv1d", in, out, k.ref().dims(), o.stride.ref().dims(),
              o.padding.sizes.ref().dims(), o.padding.mode, o.dilation.ref().dims(), false,
              DimVector{0}, o.groups, o.bias, o.padding_mode}) {}

Tensor Conv1d::forward(const Tensor& input) {
    const bool zeros_mode = padding_mode == "zeros";
    return conv_nd("conv1d", 1, zeros_mode ? input : pad_input(input), weight, bias, stride,
                   zeros_mode ? padding_str : "valid", padding, dilation, false, 0, groups);
}

Conv2d::Conv2d(int64_t in, int64_t out, ExpandingArray<2> k, const Conv2dOptions& o)
    : ConvNd({"Conv2d", in, out, k.ref().dims(), o.stride.ref().dims(),
              o.padding.sizes.ref().dims(), o.padding.mode, o.dilation.ref().dims(), false,
              DimVector{0, 0}, o.groups, o.bias, o.padding_mode}) {}

Tensor Conv2d::forward(const Tensor& input) {
    const bool zeros_mode = padding_mode == "zeros";
    return conv_nd("conv2d", 2, zeros_mode ? input : pad_input(input), weight, bias, stride,
                   zeros_mode ? padding_str : "valid", padding, dilation, false, 0, groups);
}

namespace {
const std::string& only_zeros(const std::string& padding_mode) {
    EMBER_CHECK(padding_mode == "zeros",
                "Only \"zeros\" padding mode is supported for ConvTranspose2d");
    return padding_mode;
}
}  // namespace

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, ExpandingArray<2> k,
                                 const ConvTranspose2dOptions& o)
    : ConvNd({"ConvTranspose2d", in, out, k.ref().dims(), o.stride.ref().dims(),
              o.padding.ref().dims(), "", o.dilation.ref().dims(), true,
              o.output_padding.ref().dims(), o.groups, o.bias, only_zeros(o.padding_mode)}) {}

Tensor ConvTranspose2d::forward(const Tensor& input) {
    return conv_nd("conv_transpose2d", 2, input, weight, bias, stride, "", padding, dilation,
                   true, output_padding, groups);
}

}  // namespace ember::nn
