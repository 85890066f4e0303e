// Convolutions (torch.convolution) and the window ops im2col / col2im (Kernels::im2col/col2im).
//
// Everything runs on 4-D tensors: a 1-D convolution is a 2-D one of height 1. Both kinds of
// convolution pair a "large" image with the "small" grid of window positions over it:
//   plain:      small = window_product(large = input, weight)
//   transposed: large = window_product_t(small = input, weight)
// and the gradients of one are made of the other's forward:
//   d/d large = window_product_t(g_small, weight), d/d small = window_product(g_large, weight),
//   d/d weight = window_weight_grad(small-side tensor, large-side tensor).
// These are written with im2col, col2im (primitives that are each other's backward) and matmul,
// so that the single ConvolutionBackward0 node stays differentiable (double backward).
#include "ember/ops/conv.h"

#include <algorithm>
#include <string>

#include "autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/ops/factory.h"
#include "ember/ops/linalg.h"
#include "ember/ops/pool.h"
#include "ember/ops/shape.h"
#include "ops/conv_pool.h"
#include "ops/dispatch.h"
#include "ops/util.h"

namespace ember {

namespace {

using detail::ConvGeometry;

// ---- the window primitives ----------------------------------------------------------------

Tensor col2im_raw(const Tensor& cols, const ConvGeometry& g, int64_t batch);

// (N, C, H, W) -> columns (C * kH * kW, N * oH * oW): the batch sits in the columns, so that
// one matrix product per group serves the whole batch. Records Im2ColBackward0 (col2im).
Tensor im2col_raw(const Tensor& input, const ConvGeometry& g) {
    const int64_t n = input.size(0);
    Tensor src;
    {
        NoGradGuard no_grad;
        src = input.contiguous();
    }
    const int64_t rows = g.channels * g.kernel_h * g.kernel_w, len = n * g.out_h * g.out_w;
    Tensor cols = detail::empty_contiguous({rows, len}, rows * len, input.dtype(),
                                           input.device());
    if (cols.numel() > 0) detail::kernels(input.device()).im2col(cols, src, g);
    if (autograd::needs_grad(input))
        autograd::record("Im2ColBackward0", {input}, {cols}, {},
                         [g, n](autograd::BackwardContext& ctx) {
                             return TensorList{col2im_raw(ctx.grad(), g, n)};
                         });
    return cols;
}

// Columns (C * kH * kW, N * oH * oW) -> (N, C, H, W); records Col2ImBackward0 (im2col).
Tensor col2im_raw(const Tensor& cols, const ConvGeometry& g, int64_t batch) {
    Tensor src;
    {
        NoGradGuard no_grad;
        src = cols.contiguous();
    }
    const int64_t numel = batch * g.channels * g.height * g.width;
    Tensor out = detail::empty_contiguous({batch, g.channels, g.height, g.width}, numel,
                                          cols.dtype(), cols.device());
    if (numel > 0) detail::kernels(cols.device()).col2im(out, src, g);
    if (autograd::needs_grad(cols))
        autograd::record("Col2ImBackward0", {cols}, {out}, {},
                         [g](autograd::BackwardContext& ctx) {
                             return TensorList{im2col_raw(ctx.grad(), g)};
                         });
    return out;
}

// ---- the convolution pieces, with public ops ----------------------------------------------

// The shapes shared by the pieces. Per group, the weight is a (small channels, large channels
// * kH * kW) matrix, and the small side a (small channels, N * oH * oW) matrix.
struct Windows {
    ConvGeometry g;
    int64_t groups;
    int64_t small_channels, large_channels;  // over all groups

    int64_t small_per_group() const { return small_channels / groups; }
    int64_t large_rows_per_group() const {
        return large_channels / groups * g.kernel_h * g.kernel_w;
    }
    Tensor grouped_weight(const Tensor& w) const {
        return w.reshape({groups, small_per_group(), large_rows_per_group()});
    }
    // (N, Cs, oH, oW) -> (groups, Cs / groups, N * oH * oW).
    Tensor small_matrix(const Tensor& small) const {
        return small.transpose(0, 1).reshape({groups, small_per_group(), -1});
    }
    Tensor large_columns(const Tensor& large) const {
        return im2col_raw(large, g).view({groups, large_rows_per_group(), -1});
    }
};

// The plain convolution: large (N, Cl, H, W) -> small (N, Cs, oH, oW), a non-contiguous view
// of the product (channels first).
Tensor window_product(const Tensor& large, const Tensor& weight, const Windows& s) {
    return matmul(s.grouped_weight(weight), s.large_columns(large))
        .view({s.small_channels, large.size(0), s.g.out_h, s.g.out_w})
        .transpose(0, 1);
}

// Its adjoint in the image: small (N, Cs, oH, oW) -> large (N, Cl, H, W).
Tensor window_product_t(const Tensor& small, const Tensor& weight, const Windows& s) {
    Tensor cols = matmul(s.grouped_weight(weight).transpose(1, 2), s.small_matrix(small));
    return col2im_raw(cols.view({s.large_channels * s.g.kernel_h * s.g.kernel_w, -1}), s.g,
                      small.size(0));
}

// The weight-shaped product of a small-side and a large-side tensor, summed over the batch.
Tensor window_weight_grad(const Tensor& small, const Tensor& large, const IntArrayRef w_sizes,
                          const Windows& s) {
    return matmul(s.small_matrix(small), s.large_columns(large).transpose(1, 2)).view(w_sizes);
}

// The same two gradients of a plain float32 convolution through the direct kernels (not
// recorded). The input gradient of a stride-1 convolution has a kernel of its own where the
// rows are short (conv2d_input_grad), else is itself a convolution: the output gradient,
// padded by the kernel's reach less the padding, convolved with the flipped weight whose
// channel dims are swapped. Other strides use window_product_t.
Tensor direct_input_grad(const Tensor& grad, const Tensor& weight, const Windows& s,
                         IntArrayRef in_sizes) {
    const ConvGeometry& g = s.g;
    const int64_t reach_h = (g.kernel_h - 1) * g.dilation_h, reach_w = (g.kernel_w - 1) * g.dilation_w;
    if (g.stride_h != 1 || g.stride_w != 1 || g.pad_top > reach_h || g.pad_left > reach_w)
        return window_product_t(grad, weight, s);
    const int64_t n = grad.size(0);
    Tensor gx = detail::empty_contiguous({n, s.large_channels, g.height, g.width},
                                         n * s.large_channels * g.height * g.width,
                                         grad.dtype(), grad.device());
    const detail::Kernels& k = detail::kernels(grad.device());
    if (k.conv2d_input_grad != nullptr &&
        k.conv2d_input_grad(gx, grad.contiguous(), weight.contiguous(), g))
        return gx.view(in_sizes);
    const ConvGeometry t{s.small_channels, g.out_h,  g.out_w, g.kernel_h, g.kernel_w,
                         1, 1, g.dilation_h, g.dilation_w, reach_h - g.pad_top,
                         reach_w - g.pad_left, g.height, g.width};
    k.conv2d_forward(gx, grad.contiguous(), weight.flip({2, 3}).transpose(0, 1).contiguous(),
                     Tensor(), t);
    return gx.view(in_sizes);
}

Tensor direct_weight_grad(const Tensor& grad, const Tensor& input, IntArrayRef w_sizes,
                          const Windows& s) {
    Tensor gw = detail::empty_contiguous(w_sizes, s.small_channels * s.large_rows_per_group(),
                                         grad.dtype(), grad.device());
    detail::kernels(grad.device())
        .conv2d_weight_grad(gw, grad.contiguous(), input.contiguous(), s.g);
    return gw;
}

// ---- arguments ------------------------------------------------------------------------------

// One value per spatial dim from `values` (one value repeats).
DimVector expand_param(IntArrayRef values, int64_t nd, const char* name) {
    EMBER_CHECK(values.size() == 1 || static_cast<int64_t>(values.size()) == nd, "expected ",
                name, " to be a single integer value or a list of ", nd,
                " values to match the convolution dimensions, but got ", name, "=",
                shape_str(values));
    DimVector out;
    for (int64_t i = 0; i < nd; ++i) out.push_back(values.size() == 1 ? values[0] : values[i]);
    return out;
}

// "(2 x 2)" as PyTorch prints per-channel sizes.
std::string by_str(IntArrayRef v) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? " x " : "") + std::to_string(v[i]);
    return s + ")";
}

// The window geometry over 4-D tensors from per-dim arguments (1-D: height 1).
ConvGeometry make_geometry(int64_t channels, IntArrayRef image, IntArrayRef kernel,
                           IntArrayRef stride, IntArrayRef dilation, IntArrayRef pad_before,
                           IntArrayRef out) {
    const bool one_d = image.size() == 1;
    auto at = [one_d](IntArrayRef v, int64_t dim, int64_t unit) {
        return one_d ? (dim == 0 ? unit : v[0]) : v[dim];
    };
    return {channels,         at(image, 0, 1),    at(image, 1, 1),    at(kernel, 0, 1),
            at(kernel, 1, 1), at(stride, 0, 1),   at(stride, 1, 1),   at(dilation, 0, 1),
            at(dilation, 1, 1), at(pad_before, 0, 0), at(pad_before, 1, 0), at(out, 0, 1),
            at(out, 1, 1)};
}

}  // namespace

// ---- convolution ------------------------------------------------------------------------------

namespace {

// A checked convolution: its windows, output sizes and which path computes it.
struct Prepared {
    Windows s;
    DimVector out_sizes;
    bool transposed, one_d;
    bool direct;  // the direct float32 kernels (plain, no groups, where the CPU has them)
};

// Every argument check of torch.convolution, in PyTorch's order, and the geometry.
Prepared prepare_convolution(const Tensor& input, const Tensor& weight, const Tensor& bias,
                             IntArrayRef stride_arg, IntArrayRef padding_arg,
                             IntArrayRef dilation_arg, bool transposed,
                             IntArrayRef output_padding_arg, int64_t groups) {
    input.check_defined("convolution");
    weight.check_defined("convolution");
    if (bias.defined()) detail::check_same_device("convolution", {&input, &weight, &bias});
    else detail::check_same_device("convolution", {&input, &weight});
    EMBER_CHECK(input.is_cpu(), "convolution: only implemented on the CPU so far; got ",
                detail::describe(input));
    const int64_t nd = weight.dim() - 2;
    EMBER_CHECK(nd == 1 || nd == 2, "convolution: only 1-D and 2-D convolutions are "
                "implemented; got a weight of size ", shape_str(weight.sizes()));
    EMBER_CHECK(input.dim() == weight.dim(), "Expected ", weight.dim(), "-dimensional input for ",
                weight.dim(), "-dimensional weight ", shape_str(weight.sizes()), ", but got ",
                input.dim(), "-dimensional input of size ", shape_str(input.sizes()),
                " instead");
    const DimVector stride = expand_param(stride_arg, nd, "stride");
    const DimVector dilation = expand_param(dilation_arg, nd, "dilation");
    const DimVector output_padding = expand_param(output_padding_arg, nd, "output_padding");
    DimVector pad_before, pad_after;
    if (!transposed && static_cast<int64_t>(padding_arg.size()) == 2 * nd) {
        for (int64_t i = 0; i < nd; ++i) {
            pad_before.push_back(padding_arg[2 * i]);
            pad_after.push_back(padding_arg[2 * i + 1]);
        }
    } else {
        pad_before = pad_after = expand_param(padding_arg, nd, "padding");
    }
    for (int64_t i = 0; i < nd; ++i) {
        EMBER_CHECK(pad_before[i] >= 0 && pad_after[i] >= 0, "negative padding is not supported "
                    "(padding ", shape_str(padding_arg), ")");
        EMBER_CHECK(stride[i] > 0, "non-positive stride is not supported (stride ",
                    shape_str(stride), ")");
        EMBER_CHECK(output_padding[i] >= 0, "negative output_padding is not supported "
                    "(output_padding ", shape_str(output_padding), ")");
    }
    for (int64_t i = 0; i < nd; ++i)
        EMBER_CHECK(dilation[i] > 0, "dilation should be greater than zero, but got ",
                    shape_str(dilation));
    EMBER_CHECK(groups > 0, "non-positive groups is not supported");
    for (const Tensor* t : {&input, &weight})
        EMBER_CHECK(t->dtype() == DType::Float32 || t->dtype() == DType::Float64,
                    "convolution: expected float32 or float64 tensors, got a ",
                    dtype_name(t->dtype()), " ", t == &input ? "input" : "weight");
    EMBER_CHECK(input.dtype() == weight.dtype(), "Input type (", dtype_name(input.dtype()),
                ") and weight type (", dtype_name(weight.dtype()), ") should be the same");
    EMBER_CHECK(!bias.defined() || bias.dtype() == input.dtype(), "Input type (",
                dtype_name(input.dtype()), ") and bias type (",
                bias.defined() ? dtype_name(bias.dtype()) : "", ") should be the same");
    EMBER_CHECK(weight.size(0) % groups == 0, "Given groups=", groups,
                ", expected weight to be divisible by ", groups,
                " at dimension 0, but got weight of size ", shape_str(weight.sizes()),
                " instead");

    const int64_t n = input.size(0);
    const IntArrayRef kernel(weight.sizes().data() + 2, nd);
    const IntArrayRef in_spatial(input.sizes().data() + 2, nd);
    DimVector out_spatial;
    Windows s{};
    s.groups = groups;
    if (!transposed) {
        const int64_t out_channels = weight.size(0);
        EMBER_CHECK(input.size(1) == weight.size(1) * groups, "Given groups=", groups,
                    ", weight of size ", shape_str(weight.sizes()), ", expected input",
                    shape_str(input.sizes()), " to have ", weight.size(1) * groups,
                    " channels, but got ", input.size(1), " channels instead");
        EMBER_CHECK(!bias.defined() || (bias.dim() == 1 && bias.numel() == out_channels),
                    "Given weight of size ", shape_str(weight.sizes()),
                    ", expected bias to be 1-dimensional with ", out_channels,
                    " elements, but got bias of size ", shape_str(bias.sizes()), " instead");
        DimVector padded, dilated;
        for (int64_t i = 0; i < nd; ++i) {
            padded.push_back(in_spatial[i] + pad_before[i] + pad_after[i]);
            dilated.push_back(dilation[i] * (kernel[i] - 1) + 1);
        }
        for (int64_t i = 0; i < nd; ++i)
            EMBER_CHECK(padded[i] >= dilated[i], "Calculated padded input size per channel: ",
                        by_str(padded), ". Kernel size: ", by_str(dilated),
                        ". Kernel size can't be greater than actual input size");
        for (int64_t i = 0; i < nd; ++i)
            out_spatial.push_back((padded[i] - dilated[i]) / stride[i] + 1);
        s.large_channels = input.size(1);
        s.small_channels = out_channels;
        s.g = make_geometry(s.large_channels, in_spatial, kernel, stride, dilation, pad_before,
                            out_spatial);
    } else {
        const int64_t out_channels = weight.size(1) * groups;
        EMBER_CHECK(input.size(1) == weight.size(0), "Given transposed=1, weight of size ",
                    shape_str(weight.sizes()), ", expected input", shape_str(input.sizes()),
                    " to have ", weight.size(0), " channels, but got ", input.size(1),
                    " channels instead");
        EMBER_CHECK(!bias.defined() || (bias.dim() == 1 && bias.numel() == out_channels),
                    "Given transposed=1, weight of size ", shape_str(weight.sizes()),
                    ", expected bias to be 1-dimensional with ", out_channels,
                    " elements, but got bias of size ", shape_str(bias.sizes()), " instead");
        bool op_ok = true;
        for (int64_t i = 0; i < nd; ++i)
            op_ok = op_ok && (output_padding[i] < stride[i] || output_padding[i] < dilation[i]);
        if (!op_ok) {
            std::string msg = "output padding must be smaller than either stride or dilation, but got";
            const char* names[2] = {"height", "width"};
            const int64_t first = nd == 1 ? 1 : 0;
            auto add = [&](const char* what, const DimVector& v) {
                for (int64_t i = 0; i < nd; ++i)
                    msg += detail::str_cat(" ", what, "_", names[first + i], ": ", v[i]);
            };
            add("output_padding", output_padding);
            add("stride", stride);
            add("dilation", dilation);
            EMBER_CHECK(false, msg);
        }
        for (int64_t i = 0; i < nd; ++i)
            out_spatial.push_back((in_spatial[i] - 1) * stride[i] - 2 * pad_before[i] +
                                  dilation[i] * (kernel[i] - 1) + output_padding[i] + 1);
        for (int64_t i = 0; i < nd; ++i)
            EMBER_CHECK(out_spatial[i] > 0, "Given input size per channel: ", by_str(in_spatial),
                        ". Calculated output size per channel: ", by_str(out_spatial),
                        ". Output size is too small");
        s.small_channels = input.size(1);
        s.large_channels = out_channels;
        s.g = make_geometry(s.large_channels, out_spatial, kernel, stride, dilation, pad_before,
                            in_spatial);
    }

    DimVector out_sizes{n, transposed ? s.large_channels : s.small_channels};
    for (int64_t v : out_spatial) out_sizes.push_back(v);
    // Plain float32 convolutions without groups take the direct kernels where the CPU has them.
    // (Their scatters address a block of 32 planes with 32-bit offsets.)
    const int64_t max_plane = std::max(s.g.height * s.g.width, s.g.out_h * s.g.out_w);
    const bool direct = !transposed && groups == 1 && input.dtype() == DType::Float32 &&
                        max_plane < (int64_t(1) << 26) &&
                        detail::kernels(input.device()).conv2d_forward != nullptr;
    return {s, out_sizes, transposed, nd == 1, direct};
}

// What the backward of a convolution keeps besides its saved input and weight.
struct BackwardShapes {
    Prepared p;
    DimVector w_sizes, in_sizes, w_orig;  // the weight as 4-D, the input's and weight's sizes
};

// The gradients of a convolution for its output gradient g (1-D ones as given): the direct
// kernels when this backward need not itself be differentiable (no create_graph); the
// composition of differentiable pieces otherwise.
TensorList convolution_backward(const Tensor& grad, const Tensor& input, const Tensor& weight,
                                const bool needs[3], const BackwardShapes& b) {
    const bool one_d = b.p.one_d, transposed = b.p.transposed;
    const Windows& s = b.p.s;
    auto to4 = [one_d](const Tensor& t) { return one_d ? t.unsqueeze(2) : t; };
    const Tensor g = to4(grad);
    const Tensor x = to4(input), w = to4(weight);
    Tensor gx, gw, gb;
    const bool fast = b.p.direct && !is_grad_enabled() && g.numel() > 0;
    if (needs[0])
        gx = (fast ? direct_input_grad(g, w, s, b.in_sizes)
                   : transposed ? window_product(g, w, s)
                                : window_product_t(g, w, s))
                 .reshape(b.in_sizes);
    if (needs[1])
        gw = (fast ? direct_weight_grad(g, x, b.w_sizes, s)
                   : transposed ? window_weight_grad(x, g, b.w_sizes, s)
                                : window_weight_grad(g, x, b.w_sizes, s))
                 .reshape(b.w_orig);
    if (needs[2]) gb = g.sum({2, 3}).sum(0);  // planes first: faster
    return TensorList{gx, gw, gb};
}

BackwardShapes backward_shapes(const Prepared& p, const Tensor& input, const Tensor& weight) {
    const DimVector w4 = p.one_d ? weight.unsqueeze(2).sizes().dims() : weight.sizes().dims();
    return {p, w4, input.sizes().dims(), weight.sizes().dims()};
}

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias,
                   IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                   bool transposed, IntArrayRef output_padding, int64_t groups) {
    const Prepared p = prepare_convolution(input, weight, bias, stride, padding, dilation,
                                           transposed, output_padding, groups);
    const Windows& s = p.s;
    const int64_t n = input.size(0);
    const DimVector& out_sizes = p.out_sizes;
    const bool direct = p.direct;
    // The computation on 4-D views; 1-D tensors get a height of 1 and lose it at the end.
    const bool one_d = p.one_d;
    auto to4 = [one_d](const Tensor& t) { return one_d ? t.unsqueeze(2) : t; };
    auto from4 = [one_d](const Tensor& t) { return one_d ? t.squeeze(2) : t; };
    Tensor out;
    {
        NoGradGuard no_grad;
        const Tensor x = to4(input), w = to4(weight);
        if (out_sizes[1] == 0 || n == 0) {
            out = zeros(out_sizes, {.dtype = input.dtype(), .device = input.device()});
        } else if (direct) {
            out = detail::empty_contiguous(out_sizes, n * s.small_channels * s.g.out_h * s.g.out_w,
                                           input.dtype(), input.device());
            detail::kernels(input.device())
                .conv2d_forward(out, x.contiguous(), w.contiguous(),
                                bias.defined() ? bias.contiguous() : bias, s.g);
        } else {
            out = from4((transposed ? window_product_t(x, w, s) : window_product(x, w, s))
                            .contiguous());
        }
        if (bias.defined() && out.numel() > 0 && !direct)
            out.add_(bias.view(one_d ? DimVector{-1, 1} : DimVector{-1, 1, 1}));
    }
    if (autograd::needs_grad(input, weight, bias)) {
        autograd::record("ConvolutionBackward0", {input, weight, bias}, {out}, {input, weight},
                         [b = backward_shapes(p, input, weight)](autograd::BackwardContext& ctx) {
                             const bool needs[3] = {ctx.needs(0), ctx.needs(1), ctx.needs(2)};
                             return convolution_backward(ctx.grad(), ctx.saved(0), ctx.saved(1),
                                                         needs, b);
                         });
    }
    return out;
}

// ---- a convolution and its max pooling in one ------------------------------------------------

Tensor detail::conv2d_max_pool2x2(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                  IntArrayRef stride, IntArrayRef padding,
                                  IntArrayRef dilation) {
    const Prepared p =
        prepare_convolution(input, weight, bias, stride, padding, dilation, false, {0}, 1);
    const ConvGeometry& g = p.s.g;
    const int64_t n = input.size(0), out_channels = p.s.small_channels;
    auto* fused_kernel = detail::kernels(input.device()).conv2d_max_pool2d_forward;
    if (!p.direct || p.one_d || fused_kernel == nullptr || n == 0 || out_channels == 0 ||
        g.out_h < 2 || g.out_w < 2)
        return max_pool2d(convolution(input, weight, bias, stride, padding, dilation, false, {0},
                                      1),
                          {2});
    const DimVector sizes{n, out_channels, g.out_h / 2, g.out_w / 2};
    const int64_t numel = prod(sizes);
    Tensor out = detail::empty_contiguous(sizes, numel, input.dtype(), input.device());
    const bool record = autograd::needs_grad(input, weight, bias);
    Tensor codes;  // each maximum's position in its window
    if (record) codes = detail::empty_contiguous(sizes, numel, DType::UInt8, input.device());
    {
        NoGradGuard no_grad;
        fused_kernel(out, codes, input.contiguous(), weight.contiguous(),
                     bias.defined() ? bias.contiguous() : bias, g);
    }
    if (record) {
        autograd::record(
            "ConvolutionMaxPool2DBackward", {input, weight, bias}, {out},
            {input, weight, codes},
            [b = backward_shapes(p, input, weight)](autograd::BackwardContext& ctx) {
                // The pooling's backward gives the convolution's output gradient, whose sum
                // (the bias gradient) is that of the pooled gradient, a quarter of the size.
                const Tensor g_conv = detail::max_pool2d_2x2_codes_backward(
                    ctx.grad(), ctx.saved(2), b.p.out_sizes);
                const bool needs[3] = {ctx.needs(0), ctx.needs(1), false};
                TensorList grads =
                    convolution_backward(g_conv, ctx.saved(0), ctx.saved(1), needs, b);
                if (ctx.needs(2)) grads[2] = ctx.grad().sum({2, 3}).sum(0);
                return grads;
            });
    }
    return out;
}

// ---- im2col / col2im ----------------------------------------------------------------------

namespace {

// Two values from one or two.
DimVector pair_param(IntArrayRef v, const char* op, const char* name) {
    EMBER_CHECK(v.size() == 1 || v.size() == 2, op, ": expected ", name,
                " to be a single integer value or a list of 2 values, but got ", name, "=",
                shape_str(v));
    return {v[0], v.size() == 1 ? v[0] : v[1]};
}

struct WindowArgs {
    DimVector kernel, dilation, padding, stride;
    WindowArgs(const char* op, IntArrayRef k, IntArrayRef d, IntArrayRef p, IntArrayRef s)
        : kernel(pair_param(k, op, "kernel_size")),
          dilation(pair_param(d, op, "dilation")),
          padding(pair_param(p, op, "padding")),
          stride(pair_param(s, op, "stride")) {
        for (int i = 0; i < 2; ++i)
            EMBER_CHECK(kernel[i] > 0 && dilation[i] > 0 && stride[i] > 0 && padding[i] >= 0,
                        op, ": expected positive kernel_size, dilation and stride and "
                        "non-negative padding, but got kernel_size=", shape_str(kernel),
                        ", dilation=", shape_str(dilation), ", padding=", shape_str(padding),
                        ", stride=", shape_str(stride));
    }
    // Window positions along dim i of an image of `size`.
    int64_t blocks(int i, int64_t size) const {
        return (size + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i] + 1;
    }
};

void check_window_dtype(const Tensor& t, const char* op) {
    EMBER_CHECK(t.is_cpu(), op, ": only implemented on the CPU so far; got ", detail::describe(t));
    EMBER_CHECK(t.dtype() == DType::Float32 || t.dtype() == DType::Float64, op,
                ": expected a float32 or float64 input, got ", detail::describe(t));
}

}  // namespace

Tensor im2col(const Tensor& input, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride) {
    input.check_defined("im2col");
    EMBER_CHECK(input.dim() == 3 || input.dim() == 4, "Input Error: Only 3D or 4D input Tensors "
                "are supported (got ", input.dim(), "D)");
    check_window_dtype(input, "im2col");
    const WindowArgs a("im2col", kernel_size, dilation, padding, stride);
    const bool batched = input.dim() == 4;
    const Tensor x = batched ? input : input.unsqueeze(0);
    const int64_t oh = a.blocks(0, x.size(2)), ow = a.blocks(1, x.size(3));
    EMBER_CHECK(oh > 0 && ow > 0, "im2col: given input with spatial size ",
                shape_str(IntArrayRef(x.sizes().data() + 2, 2)),
                ", kernel_size=", shape_str(a.kernel), ", dilation=", shape_str(a.dilation),
                ", padding=", shape_str(a.padding), ", calculated shape of the array of sliding "
                "blocks as (", oh, ", ", ow, "), but its components must be at least one");
    const ConvGeometry g{x.size(1), x.size(2), x.size(3), a.kernel[0], a.kernel[1],
                         a.stride[0], a.stride[1], a.dilation[0], a.dilation[1],
                         a.padding[0], a.padding[1], oh, ow};
    // The columns of a batch lie side by side; F.unfold gives one matrix per image.
    Tensor cols = im2col_raw(x, g).view({g.channels * g.kernel_h * g.kernel_w, x.size(0), oh * ow})
                      .permute({1, 0, 2})
                      .contiguous();
    return batched ? cols : cols.squeeze(0);
}

Tensor col2im(const Tensor& input, IntArrayRef output_size, IntArrayRef kernel_size,
              IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride) {
    input.check_defined("col2im");
    EMBER_CHECK(input.dim() == 2 || input.dim() == 3, "Input Error: Only unbatched (2D) or "
                "batched (3D) input Tensors are supported (got ", input.dim(), "D)");
    check_window_dtype(input, "col2im");
    const WindowArgs a("col2im", kernel_size, dilation, padding, stride);
    const DimVector out = pair_param(output_size, "col2im", "output_size");
    const bool batched = input.dim() == 3;
    const Tensor c = batched ? input : input.unsqueeze(0);
    const int64_t k = a.kernel[0] * a.kernel[1];
    EMBER_CHECK(c.size(1) % k == 0, "Expected size of input's dimension 1 to be divisible by the "
                "product of kernel_size, but got input.size(1)=", c.size(1), " and kernel_size=",
                shape_str(a.kernel));
    const int64_t oh = a.blocks(0, out[0]), ow = a.blocks(1, out[1]);
    EMBER_CHECK(oh > 0 && ow > 0 && c.size(2) == oh * ow, "Given output_size=",
                shape_str(out), ", kernel_size=", shape_str(a.kernel), ", dilation=",
                shape_str(a.dilation), ", padding=", shape_str(a.padding), ", stride=",
                shape_str(a.stride), ", expected size of input's dimension 2 to match the "
                "calculated number of sliding blocks ", oh, " * ", ow, " = ", oh * ow,
                ", but got input.size(2)=", c.size(2), ".");
    const ConvGeometry g{c.size(1) / k, out[0],      out[1],      a.kernel[0], a.kernel[1],
                         a.stride[0],   a.stride[1], a.dilation[0], a.dilation[1],
                         a.padding[0],  a.padding[1], oh,          ow};
    Tensor img = col2im_raw(c.permute({1, 0, 2}).reshape({c.size(1), -1}), g, c.size(0));
    return batched ? img : img.squeeze(0);
}

}  // namespace ember
