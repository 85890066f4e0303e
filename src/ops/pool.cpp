// 2-D pooling ops (Kernels::max_pool2d, avg_pool2d, adaptive_avg_pool2d and their backward
// kernels): argument checks with PyTorch's texts and order, output sizes, and the graph.
//
// Each op is a primitive whose backward is a primitive too, so that double backward works:
// max pooling's backward scatters the gradient to the argmax positions (its own backward is a
// gather at the same indices); the average poolings are linear, so the backward of their
// backward is the forward pooling again.
#include "ember/ops/pool.h"

#include "autograd/function.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"
#include "ember/ops/reduce.h"
#include "ops/conv_pool.h"
#include "ops/dispatch.h"
#include "ops/util.h"

namespace ember {

using detail::Pool2dParams;

namespace {

// The accepted forms of window arguments, for the messages.
constexpr const char* kIntOrPair = "either be a single int, or a tuple of two ints";
constexpr const char* kStrideForms = "either be omitted, a single int, or a tuple of two ints";

// An int-or-pair argument as (height, width); `fallback` when empty and allowed (stride).
std::pair<int64_t, int64_t> pair_arg(IntArrayRef v, const char* op, const char* what,
                                     const char* forms, IntArrayRef fallback = {}) {
    if (v.empty() && !fallback.empty()) v = fallback;
    EMBER_CHECK(v.size() == 1 || v.size() == 2, op, ": ", what, " must ", forms, ", got ",
                shape_str(v));
    return {v[0], v.size() == 2 ? v[1] : v[0]};
}

// PyTorch's pooling_output_shape, with its checks.
int64_t pooling_output_size(const char* op, int64_t in, int64_t k, int64_t pad, int64_t stride,
                            int64_t dilation, bool ceil_mode) {
    EMBER_CHECK(stride != 0, op, ": stride should not be zero");
    EMBER_CHECK(pad >= 0, op, ": pad must be non-negative, but got pad: ", pad);
    EMBER_CHECK(pad <= k / 2, op, ": pad should be at most half of kernel size, but got pad=",
                pad, " and kernel_size=", k);
    const int64_t num = in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
    // Floor division (the numerator may be negative).
    int64_t out = num / stride - ((num % stride != 0) && ((num < 0) != (stride < 0))) + 1;
    // In ceil mode the last window must start inside the input or its left padding.
    if (ceil_mode && (out - 1) * stride >= in + pad) --out;
    return out;
}

// PyTorch's pool2d_shape_check: positive window, non-empty planes, a non-empty output.
void pool2d_shape_check(const char* op, const Tensor& input, const Pool2dParams& p, int64_t oh,
                        int64_t ow) {
    EMBER_CHECK(p.kh > 0 && p.kw > 0, op, ": kernel size should be greater than zero, but got "
                "kH: ", p.kh, " kW: ", p.kw);
    EMBER_CHECK(p.sh > 0 && p.sw > 0, op, ": stride should be greater than zero, but got dH: ",
                p.sh, " dW: ", p.sw);
    EMBER_CHECK(p.dh > 0 && p.dw > 0, op, ": dilation should be greater than zero, but got "
                "dilationH: ", p.dh, " dilationW: ", p.dw);
    const int64_t c = input.size(-3), h = input.size(-2), w = input.size(-1);
    EMBER_CHECK(oh >= 1 && ow >= 1, op, ": Given input size: (", c, "x", h, "x", w,
                "). Calculated output size: (", c, "x", oh, "x", ow, "). Output size is too small");
}

void check_input_dims(const char* op, const Tensor& input) {
    input.check_defined(op);
    const int64_t nd = input.dim();
    const bool ok = (nd == 3 && input.numel() != 0) ||
                    (nd == 4 && input.size(1) != 0 && input.size(2) != 0 && input.size(3) != 0);
    EMBER_CHECK(ok, op, ": Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                "for input, but got: ", shape_str(input.sizes()));
}

void check_floating(const char* op, const Tensor& input) {
    const DType dt = input.dtype();
    EMBER_CHECK(dt == DType::Float32 || dt == DType::Float64 || dt == DType::BFloat16, "\"", op,
                "\" not implemented for '", dtype_short_name(dt), "' (input ",
                detail::describe(input), ")");
}

// The (N, C, H, W) alias of a 3-D (unbatched) or 4-D tensor, outside autograd: what the
// kernels see.
Tensor as_4d(const Tensor& t) {
    if (t.dim() == 4) return t;
    return detail::make_view(t, {1, t.size(0), t.size(1), t.size(2)},
                             {t.size(0) * t.stride(0), t.stride(0), t.stride(1), t.stride(2)},
                             t.storage_offset());
}

// The input's sizes with the last two replaced by (oh, ow).
DimVector pooled_sizes(const Tensor& input, int64_t oh, int64_t ow) {
    DimVector sizes = input.sizes().dims();
    sizes[sizes.size() - 2] = oh;
    sizes[sizes.size() - 1] = ow;
    return sizes;
}

Tensor new_output(IntArrayRef sizes, DType dtype, Device device) {
    return detail::empty_contiguous(sizes, prod(sizes), dtype, device);
}

// ---- max pooling ----------------------------------------------------------------------------

// grad_input from the argmax indices; records MaxPool2DWithIndicesBackwardBackward0, whose
// formula gathers the gradient of grad_input at the same indices. windows_2x2: the windows
// were 2x2 of stride 2 without padding or dilation, so they do not overlap and the kernel
// that writes grad_input once, without zeroing it first, serves.
Tensor max_pool2d_backward_run(const Tensor& grad, const Tensor& indices, IntArrayRef in_sizes,
                               bool windows_2x2) {
    const detail::Kernels& k = detail::kernels(grad.device());
    const bool once = windows_2x2 && k.max_pool2d_2x2_backward != nullptr &&
                      in_sizes[in_sizes.size() - 1] * in_sizes[in_sizes.size() - 2] <
                          (int64_t{1} << 31);
    Tensor gi = once ? new_output(in_sizes, grad.dtype(), grad.device())
                     : zeros(in_sizes, {.dtype = grad.dtype(), .device = grad.device()});
    {
        NoGradGuard no_grad;  // the contiguous copy is part of this primitive
        const Tensor g = grad.contiguous();
        (once ? k.max_pool2d_2x2_backward : k.max_pool2d_backward)(
            as_4d(gi), as_4d(g), as_4d(indices.contiguous()));
    }
    if (autograd::needs_grad(grad))
        autograd::record("MaxPool2DWithIndicesBackwardBackward0", {grad}, {gi}, {indices},
                         [](autograd::BackwardContext& ctx) {
                             const Tensor idx = ctx.saved(0);
                             const Tensor gg = ctx.grad().flatten(-2);
                             return TensorList{gather(gg, -1, idx.flatten(-2)).view(idx.sizes())};
                         });
    return gi;
}

// The forward for checked arguments; indices are computed when asked for or when autograd
// needs them (they are what the backward scatters to).
std::pair<Tensor, Tensor> max_pool2d_run(const Tensor& input, const Pool2dParams& p, int64_t oh,
                                         int64_t ow, bool want_indices) {
    const DimVector sizes = pooled_sizes(input, oh, ow);
    Tensor out = new_output(sizes, input.dtype(), input.device());
    const bool record = autograd::needs_grad(input);
    Tensor indices;
    if (want_indices || record) indices = new_output(sizes, DType::Int64, input.device());
    detail::kernels(input.device())
        .max_pool2d(as_4d(out), indices.defined() ? as_4d(indices) : Tensor(), as_4d(input), p);
    if (record) {
        const DimVector in_sizes = input.sizes().dims();
        const bool windows_2x2 = p.kh == 2 && p.kw == 2 && p.sh == 2 && p.sw == 2 &&
                                 p.ph == 0 && p.pw == 0 && p.dh == 1 && p.dw == 1 &&
                                 2 * oh <= input.size(-2) && 2 * ow <= input.size(-1);
        autograd::record("MaxPool2DWithIndicesBackward0", {input}, {out}, {indices},
                         [in_sizes, windows_2x2](autograd::BackwardContext& ctx) {
                             return TensorList{max_pool2d_backward_run(
                                 ctx.grad(), ctx.saved(0), in_sizes, windows_2x2)};
                         });
    }
    return {out, indices};
}

// Checks in PyTorch's order (argument forms, input dims, output sizes, window, dtype) and
// runs. `op` names the op in errors.
std::pair<Tensor, Tensor> max_pool2d_checked(const char* op, const Tensor& input, IntArrayRef k,
                                             IntArrayRef s, IntArrayRef pad, IntArrayRef d,
                                             bool ceil_mode, bool want_indices) {
    const auto [kh, kw] = pair_arg(k, op, "kernel_size", kIntOrPair);
    const auto [sh, sw] = pair_arg(s, op, "stride", kStrideForms, k);
    const auto [ph, pw] = pair_arg(pad, op, "padding", kIntOrPair);
    const auto [dh, dw] = pair_arg(d, op, "dilation", kIntOrPair);
    check_input_dims(op, input);
    const Pool2dParams p{.kh = kh, .kw = kw, .sh = sh, .sw = sw, .ph = ph, .pw = pw, .dh = dh,
                         .dw = dw};
    const int64_t oh = pooling_output_size(op, input.size(-2), kh, ph, sh, dh, ceil_mode);
    const int64_t ow = pooling_output_size(op, input.size(-1), kw, pw, sw, dw, ceil_mode);
    pool2d_shape_check(op, input, p, oh, ow);
    check_floating(op, input);
    return max_pool2d_run(input, p, oh, ow, want_indices);
}

// ---- average pooling ------------------------------------------------------------------------

Tensor avg_pool2d_run(const Tensor& input, const Pool2dParams& p, int64_t oh, int64_t ow);

// grad_input: each output's gradient divided by its divisor, added over its window. Records
// AvgPool2DBackwardBackward0, whose formula is the pooling itself (the op is linear).
Tensor avg_pool2d_backward_run(const Tensor& grad, IntArrayRef in_sizes, const Pool2dParams& p) {
    Tensor gi = zeros(in_sizes, {.dtype = grad.dtype(), .device = grad.device()});
    {
        NoGradGuard no_grad;
        const Tensor g = grad.contiguous();
        detail::kernels(grad.device()).avg_pool2d_backward(as_4d(gi), as_4d(g), p);
    }
    if (autograd::needs_grad(grad)) {
        const int64_t oh = grad.size(-2), ow = grad.size(-1);
        autograd::record("AvgPool2DBackwardBackward0", {grad}, {gi}, {},
                         [p, oh, ow](autograd::BackwardContext& ctx) {
                             return TensorList{avg_pool2d_run(ctx.grad(), p, oh, ow)};
                         });
    }
    return gi;
}

Tensor avg_pool2d_run(const Tensor& input, const Pool2dParams& p, int64_t oh, int64_t ow) {
    Tensor out = new_output(pooled_sizes(input, oh, ow), input.dtype(), input.device());
    detail::kernels(input.device()).avg_pool2d(as_4d(out), as_4d(input), p);
    if (autograd::needs_grad(input)) {
        const DimVector in_sizes = input.sizes().dims();
        autograd::record("AvgPool2DBackward0", {input}, {out}, {},
                         [p, in_sizes](autograd::BackwardContext& ctx) {
                             return TensorList{avg_pool2d_backward_run(ctx.grad(), in_sizes, p)};
                         });
    }
    return out;
}

// ---- adaptive average pooling ---------------------------------------------------------------

Tensor adaptive_avg_pool2d_run(const Tensor& input, int64_t oh, int64_t ow);

Tensor adaptive_avg_pool2d_backward_run(const Tensor& grad, IntArrayRef in_sizes) {
    Tensor gi = zeros(in_sizes, {.dtype = grad.dtype(), .device = grad.device()});
    {
        NoGradGuard no_grad;
        const Tensor g = grad.contiguous();
        detail::kernels(grad.device()).adaptive_avg_pool2d_backward(as_4d(gi), as_4d(g));
    }
    if (autograd::needs_grad(grad)) {
        const int64_t oh = grad.size(-2), ow = grad.size(-1);
        autograd::record("AdaptiveAvgPool2DBackwardBackward0", {grad}, {gi}, {},
                         [oh, ow](autograd::BackwardContext& ctx) {
                             return TensorList{adaptive_avg_pool2d_run(ctx.grad(), oh, ow)};
                         });
    }
    return gi;
}

Tensor adaptive_avg_pool2d_run(const Tensor& input, int64_t oh, int64_t ow) {
    Tensor out = new_output(pooled_sizes(input, oh, ow), input.dtype(), input.device());
    if (out.numel() != 0)
        detail::kernels(input.device()).adaptive_avg_pool2d(as_4d(out), as_4d(input));
    if (autograd::needs_grad(input)) {
        const DimVector in_sizes = input.sizes().dims();
        autograd::record("AdaptiveAvgPool2DBackward0", {input}, {out}, {},
                         [in_sizes](autograd::BackwardContext& ctx) {
                             return TensorList{
                                 adaptive_avg_pool2d_backward_run(ctx.grad(), in_sizes)};
                         });
    }
    return out;
}

}  // namespace

std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, IntArrayRef kernel_size,
                                                  IntArrayRef stride, IntArrayRef padding,
                                                  IntArrayRef dilation, bool ceil_mode) {
    return max_pool2d_checked("max_pool2d", input, kernel_size, stride, padding, dilation,
                              ceil_mode, true);
}

Tensor max_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
    return max_pool2d_checked("max_pool2d", input, kernel_size, stride, padding, dilation,
                              ceil_mode, false).first;
}

std::pair<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input, IntArrayRef kernel_size,
                                                  IntArrayRef stride, IntArrayRef padding,
                                                  IntArrayRef dilation, bool ceil_mode) {
    const char* op = "max_pool1d";
    input.check_defined(op);
    const int64_t nd = input.dim();
    EMBER_CHECK((nd == 2 || nd == 3) && input.size(-1) != 0 && input.size(-2) != 0, op,
                ": Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                "input, but got: ", shape_str(input.sizes()));
    EMBER_CHECK(kernel_size.size() == 1, "max_pool1d() kernel_size must be an int, list of ints "
                "or tuple of ints of size 1 but got size ", kernel_size.size());
    EMBER_CHECK(stride.size() <= 1, "max_pool1d() stride must be None, an int, list of ints, or "
                "tuple of ints of size 1 but got size ", stride.size());
    EMBER_CHECK(padding.size() == 1, "max_pool1d() padding must be an int, list of ints, or "
                "tuple of ints of size 1 but got size ", padding.size());
    EMBER_CHECK(dilation.size() == 1, "max_pool1d() dilation must be an int, list of ints or "
                "tuple of ints of size 1 but got size ", dilation.size());
    const int64_t k = kernel_size[0], s = stride.empty() ? k : stride[0];
    const int64_t pad = padding[0], d = dilation[0];
    EMBER_CHECK(k > 0, "max_pool1d() kernel_size must be greater than zero, but got ", k);
    EMBER_CHECK(s > 0, "max_pool1d() stride must be greater than zero, but got ", s);
    EMBER_CHECK(pad >= 0, "max_pool1d() padding must be non-negative, but got ", pad);
    EMBER_CHECK(pad <= k / 2, "max_pool1d() padding should be at most half of kernel size, but "
                "got padding=", pad, " and kernel_size=", k);
    EMBER_CHECK(d > 0, "max_pool1d() dilation must be greater than zero, but got ", d);
    // As PyTorch: a 2-D pooling of height 1 between an unsqueeze and a squeeze (which is what
    // the graph shows: SqueezeBackward1 over MaxPool2DWithIndicesBackward0).
    auto [values, indices] = max_pool2d_checked(op, input.unsqueeze(-2), {1, k}, {1, s},
                                                {0, pad}, {1, d}, ceil_mode, true);
    return {values.squeeze(-2), indices.squeeze(-2)};
}

Tensor max_pool1d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
    return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode).first;
}

Tensor avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
    const char* op = "avg_pool2d";
    const auto [kh, kw] = pair_arg(kernel_size, op, "kernel_size", kIntOrPair);
    const auto [sh, sw] = pair_arg(stride, op, "stride", kStrideForms, kernel_size);
    const auto [ph, pw] = pair_arg(padding, op, "padding", kIntOrPair);
    EMBER_CHECK(!divisor_override || *divisor_override != 0, op, ": divisor must be not zero");
    check_input_dims(op, input);
    const Pool2dParams p{.kh = kh, .kw = kw, .sh = sh, .sw = sw, .ph = ph, .pw = pw,
                         .count_include_pad = count_include_pad,
                         .divisor = divisor_override.value_or(0)};
    const int64_t oh = pooling_output_size(op, input.size(-2), kh, ph, sh, 1, ceil_mode);
    const int64_t ow = pooling_output_size(op, input.size(-1), kw, pw, sw, 1, ceil_mode);
    pool2d_shape_check(op, input, p, oh, ow);
    check_floating(op, input);
    return avg_pool2d_run(input, p, oh, ow);
}

Tensor adaptive_avg_pool2d(const Tensor& input, IntArrayRef output_size) {
    const char* op = "adaptive_avg_pool2d";
    input.check_defined(op);
    const auto [oh, ow] = pair_arg(output_size, op, "output_size", kIntOrPair);
    EMBER_CHECK(oh >= 0 && ow >= 0, op, ": elements of output_size must be greater than or equal "
                "to 0 but received {", oh, ", ", ow, "}");
    const int64_t nd = input.dim();
    EMBER_CHECK(nd == 3 || nd == 4, op, "(): Expected 3D or 4D tensor, but got ",
                shape_str(input.sizes()));
    for (int64_t i : {nd - 2, nd - 1})
        EMBER_CHECK(input.size(i) > 0, op, "(): Expected input to have non-zero size for "
                    "non-batch dimensions, but input has sizes ", shape_str(input.sizes()),
                    " with dimension ", i, " being empty");
    check_floating(op, input);
    // As PyTorch: a (1, 1) output is the mean over H and W (MeanBackward1 in the graph).
    if (oh == 1 && ow == 1) return input.mean({-1, -2}, true);
    return adaptive_avg_pool2d_run(input, oh, ow);
}

Tensor detail::max_pool2d_2x2_backward(const Tensor& grad, const Tensor& indices,
                                          IntArrayRef in_sizes) {
    return max_pool2d_backward_run(grad, indices, in_sizes, true);
}

Tensor detail::max_pool2d_2x2_codes_backward(const Tensor& grad, const Tensor& codes,
                                                IntArrayRef in_sizes) {
    const detail::Kernels& k = detail::kernels(grad.device());
    if (!autograd::needs_grad(grad) && k.max_pool2d_2x2_codes_backward != nullptr) {
        Tensor gi = new_output(in_sizes, grad.dtype(), grad.device());
        NoGradGuard no_grad;
        k.max_pool2d_2x2_codes_backward(as_4d(gi), as_4d(grad.contiguous()),
                                        as_4d(codes.contiguous()));
        return gi;
    }
    // A backward that records its own backward gathers at flat indices: those the codes stand
    // for, (2 py + code / 2) * W + 2 px + code % 2 (codes come from the CPU's fused kernel).
    const Tensor c = codes.contiguous();
    const int64_t W = in_sizes[in_sizes.size() - 1];
    const int64_t PH = c.size(-2), PW = c.size(-1);
    const int64_t planes = PH * PW == 0 ? 0 : c.numel() / (PH * PW);
    Tensor flat = empty(c.sizes(), {.dtype = DType::Int64});
    const uint8_t* code = c.data_ptr<uint8_t>();
    int64_t* at = flat.data_ptr<int64_t>();
    for (int64_t q = 0, e = 0; q < planes; ++q)
        for (int64_t py = 0; py < PH; ++py)
            for (int64_t px = 0; px < PW; ++px, ++e)
                at[e] = (2 * py + code[e] / 2) * W + 2 * px + code[e] % 2;
    return max_pool2d_backward_run(grad, flat, in_sizes, true);
}

}  // namespace ember
