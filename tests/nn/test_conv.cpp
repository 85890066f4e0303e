// The convolutions (ember/nn/conv.h, ember/ops/conv.h) against PyTorch
// (tools/golden/nn_conv.py): outputs and input/weight/bias gradients of conv1d, conv2d and
// conv_transpose2d with their options, contiguous or not; the layers' padding modes, default
// initialisation and reprs; float64 gradchecks (with double backward); im2col/col2im; thread-
// count independence; every error path.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "ember/ember.h"
#include "ember/nn/conv.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

namespace F = nn::functional;
using test::json;
using test::load_golden;
using test::tensor_from_json;

const json& fixture() {
    static const json j = load_golden("nn_conv");
    return j;
}

// An int or a list from the fixture's options, as ExpandingArray<N>.
template <size_t N>
nn::ExpandingArray<N> sizes_of(const json& o, const char* key, int64_t fallback) {
    if (!o.contains(key)) return fallback;
    const json& v = o.at(key);
    if (v.is_number()) return v.get<int64_t>();
    nn::ExpandingArray<N> a(0);
    for (size_t i = 0; i < N; ++i) a.values[i] = v.at(i).get<int64_t>();
    return a;
}

template <size_t N>
nn::ConvPadding<N> padding_of(const json& o) {
    if (o.contains("padding") && o.at("padding").is_string())
        return o.at("padding").get<std::string>();
    nn::ConvPadding<N> p(int64_t{0});
    p.sizes = sizes_of<N>(o, "padding", 0);
    return p;
}

Tensor run_case(const json& c, const Tensor& x, const Tensor& w, const Tensor& b) {
    const std::string fn = c.at("fn");
    const json& o = c.at("options");
    const int64_t groups = o.value("groups", int64_t{1});
    if (fn == "conv1d")
        return F::conv1d(x, w, b, {.stride = sizes_of<1>(o, "stride", 1), .padding = padding_of<1>(o),
                                   .dilation = sizes_of<1>(o, "dilation", 1), .groups = groups});
    if (fn == "conv2d")
        return F::conv2d(x, w, b, {.stride = sizes_of<2>(o, "stride", 1), .padding = padding_of<2>(o),
                                   .dilation = sizes_of<2>(o, "dilation", 1), .groups = groups});
    return F::conv_transpose2d(x, w, b,
                               {.stride = sizes_of<2>(o, "stride", 1),
                                .padding = sizes_of<2>(o, "padding", 0),
                                .output_padding = sizes_of<2>(o, "output_padding", 0),
                                .groups = groups, .dilation = sizes_of<2>(o, "dilation", 1)});
}

// The same values in a non-contiguous layout (the last two dims stored transposed).
Tensor strided_copy(const Tensor& t) {
    return t.transpose(-1, -2).contiguous().transpose(-1, -2);
}

TEST(ConvGolden, FunctionalValuesAndGradients) {
    for (const json& c : fixture().at("cases")) {
        for (bool strided : {false, true}) {
            SCOPED_TRACE(c.at("fn").get<std::string>() + " " + c.at("options").dump() +
                         (strided ? " strided" : ""));
            Tensor x = tensor_from_json(c.at("input")), w = tensor_from_json(c.at("weight"));
            Tensor b = c.contains("bias") ? tensor_from_json(c.at("bias")) : Tensor();
            if (strided) {
                x = strided_copy(x);
                w = strided_copy(w);
                ASSERT_FALSE(x.is_contiguous());
            }
            x.requires_grad_();
            w.requires_grad_();
            if (b.defined()) b.requires_grad_();
            Tensor out = run_case(c, x, w, b);
            EXPECT_TENSOR_CLOSE(out, tensor_from_json(c.at("out")), 1e-5, 1e-5);
            (out * tensor_from_json(c.at("grad_out"))).sum().backward();
            EXPECT_TENSOR_CLOSE(x.grad(), tensor_from_json(c.at("grad_input")), 1e-5, 1e-5);
            EXPECT_TENSOR_CLOSE(w.grad(), tensor_from_json(c.at("grad_weight")), 1e-5, 1e-4);
            if (b.defined()) {
                EXPECT_TENSOR_CLOSE(b.grad(), tensor_from_json(c.at("grad_bias")), 1e-5, 1e-4);
            }
        }
    }
}

TEST(ConvGolden, PaddingModes) {
    const std::map<std::string, std::function<std::shared_ptr<nn::ConvNd>()>> make = {
        {"reflect",
         [] { return std::make_shared<nn::Conv2d>(2, 3, 3, nn::Conv2dOptions{.padding = 1, .padding_mode = "reflect"}); }},
        {"replicate",
         [] {
             return std::make_shared<nn::Conv2d>(
                 2, 3, nn::ExpandingArray<2>{3, 2},
                 nn::Conv2dOptions{.padding = {2, 1}, .padding_mode = "replicate"});
         }},
        {"circular",
         [] {
             return std::make_shared<nn::Conv2d>(
                 2, 3, 3, nn::Conv2dOptions{.padding = 2, .bias = false, .padding_mode = "circular"});
         }},
        {"reflect same",
         [] {
             return std::make_shared<nn::Conv2d>(
                 2, 3, 4, nn::Conv2dOptions{.padding = "same", .padding_mode = "reflect"});
         }},
        {"conv1d circular",
         [] {
             return std::make_shared<nn::Conv1d>(
                 2, 3, 3, nn::Conv1dOptions{.padding = 1, .padding_mode = "circular"});
         }},
    };
    for (const json& c : fixture().at("modules")) {
        const std::string name = c.at("name");
        SCOPED_TRACE(name);
        std::shared_ptr<nn::ConvNd> m = make.at(name)();
        {
            NoGradGuard no_grad;
            m->weight.copy_(tensor_from_json(c.at("weight")));
            if (c.contains("bias")) m->bias.copy_(tensor_from_json(c.at("bias")));
        }
        Tensor x = tensor_from_json(c.at("input")).requires_grad_();
        Tensor out = (*m)(x);
        EXPECT_TENSOR_CLOSE(out, tensor_from_json(c.at("out")), 1e-5, 1e-5);
        (out * tensor_from_json(c.at("grad_out"))).sum().backward();
        EXPECT_TENSOR_CLOSE(x.grad(), tensor_from_json(c.at("grad_input")), 1e-5, 1e-5);
    }
}

TEST(ConvGolden, DefaultInitialisation) {
    const std::map<std::string, std::function<std::shared_ptr<nn::ConvNd>()>> make = {
        {"Conv2d(3, 4, 3)", [] { return std::make_shared<nn::Conv2d>(3, 4, 3); }},
        {"Conv2d(4, 6, (3, 2), groups=2)",
         [] { return std::make_shared<nn::Conv2d>(4, 6, nn::ExpandingArray<2>{3, 2}, nn::Conv2dOptions{.groups = 2}); }},
        {"Conv2d(3, 6, 5)", [] { return std::make_shared<nn::Conv2d>(3, 6, 5); }},
        {"Conv1d(3, 5, 4)", [] { return std::make_shared<nn::Conv1d>(3, 5, 4); }},
        {"ConvTranspose2d(4, 6, 3, groups=2)",
         [] { return std::make_shared<nn::ConvTranspose2d>(4, 6, 3, nn::ConvTranspose2dOptions{.groups = 2}); }},
        {"Conv2d(2, 3, 3, bias=False)",
         [] { return std::make_shared<nn::Conv2d>(2, 3, 3, nn::Conv2dOptions{.bias = false}); }},
    };
    for (const json& c : fixture().at("init")) {
        const std::string ctor = c.at("ctor");
        SCOPED_TRACE(ctor);
        manual_seed(c.at("seed").get<uint64_t>());
        std::shared_ptr<nn::ConvNd> m = make.at(ctor)();
        EXPECT_TENSOR_EQ(m->weight, tensor_from_json(c.at("weight")));
        EXPECT_EQ(m->bias.defined(), c.contains("bias"));
        if (c.contains("bias")) {
            EXPECT_TENSOR_EQ(m->bias, tensor_from_json(c.at("bias")));
        }
        EXPECT_TRUE(m->weight.requires_grad());
    }
}

TEST(ConvModule, Reprs) {
    const json& r = fixture().at("reprs");
    EXPECT_EQ(nn::Conv2d(3, 64, 5).repr(), r.at(0));
    EXPECT_EQ(nn::Conv2d(3, 8, 3, {.stride = 2, .padding = 1}).repr(), r.at(1));
    EXPECT_EQ(nn::Conv2d(3, 8, 3, {.padding = 1, .dilation = 2, .bias = false,
                                   .padding_mode = "reflect"})
                  .repr(),
              r.at(2));
    EXPECT_EQ(nn::Conv2d(4, 8, {3, 5}, {.padding = "same", .groups = 2}).repr(), r.at(3));
    EXPECT_EQ(nn::Conv1d(3, 8, 3).repr(), r.at(4));
    EXPECT_EQ(nn::Conv1d(3, 8, 3, {.stride = 2, .padding = "valid"}).repr(), r.at(5));
    EXPECT_EQ(nn::ConvTranspose2d(3, 8, 3, {.stride = 2, .output_padding = 1}).repr(), r.at(6));
    EXPECT_EQ(nn::ConvTranspose2d(4, 8, 3, {.groups = 2, .bias = false, .dilation = 2}).repr(),
              r.at(7));
}

TEST(ConvModule, ShapesParametersAndGradFn) {
    const Tensor x = randn({1, 4, 10, 10});
    EXPECT_EQ(nn::Conv2d(4, 6, 3, {.stride = 2, .padding = 1})(x).sizes(), IntArrayRef({1, 6, 5, 5}));
    EXPECT_EQ(nn::Conv2d(4, 6, 3, {.dilation = 2})(x).sizes(), IntArrayRef({1, 6, 6, 6}));
    EXPECT_EQ(nn::Conv2d(4, 6, 3, {.padding = "same"})(x).sizes(), IntArrayRef({1, 6, 10, 10}));
    EXPECT_EQ(nn::Conv2d(4, 6, {3, 5})(x).sizes(), IntArrayRef({1, 6, 8, 6}));
    EXPECT_EQ(nn::Conv2d(4, 6, 3)(x[0]).sizes(), IntArrayRef({6, 8, 8}));  // unbatched
    EXPECT_EQ(nn::Conv2d(4, 6, 3)(empty({0, 4, 5, 5})).sizes(), IntArrayRef({0, 6, 3, 3}));
    EXPECT_EQ(nn::ConvTranspose2d(4, 2, 3, {.stride = 2, .output_padding = 1})(x).sizes(),
              IntArrayRef({1, 2, 22, 22}));
    nn::Conv2d grouped(4, 6, 3, {.groups = 2});
    EXPECT_EQ(grouped.weight.sizes(), IntArrayRef({6, 2, 3, 3}));
    EXPECT_EQ(grouped.named_parameters().size(), 2u);
    EXPECT_EQ(grouped.named_parameters()[0].first, "weight");
    EXPECT_EQ(grouped.named_parameters()[1].first, "bias");
    EXPECT_EQ(nn::Conv2d(4, 6, 3, {.bias = false}).parameters().size(), 1u);
    EXPECT_EQ(grouped(x).grad_fn()->name(), "ConvolutionBackward0");
    EXPECT_EQ(nn::Conv1d(4, 6, 3)(randn({2, 4, 7})).grad_fn()->name(), "ConvolutionBackward0");
    EXPECT_EQ(nn::ConvTranspose2d(4, 6, 3)(x).grad_fn()->name(), "ConvolutionBackward0");
}

// The checks of reference/nn.md: a numeric case, padding='same' with an even kernel, reflect.
TEST(ConvFunctional, ReferenceExamples) {
    const Tensor x = arange(9).to(DType::Float32).view({1, 1, 3, 3});
    EXPECT_TENSOR_EQ(F::conv2d(x, tensor({{1.f, 2.f}, {3.f, 4.f}}).view({1, 1, 2, 2})),
                     tensor({{27.f, 37.f}, {57.f, 67.f}}).view({1, 1, 2, 2}));
    const Tensor k = tensor({{0.f, 0.f}, {0.f, 1.f}}).view({1, 1, 2, 2});
    EXPECT_TENSOR_EQ(F::conv2d(x, k, {}, {.padding = "same"}),
                     tensor({{4.f, 5.f, 0.f}, {7.f, 8.f, 0.f}, {0.f, 0.f, 0.f}}).view({1, 1, 3, 3}));
    nn::Conv2d reflect(1, 1, 3, {.padding = 1, .bias = false, .padding_mode = "reflect"});
    {
        NoGradGuard no_grad;
        reflect.weight.zero_();
        reflect.weight.index_put_({0, 0, 0, 0}, 1.0);
    }
    EXPECT_TENSOR_EQ(reflect(x).detach(),
                     tensor({{4.f, 3.f, 4.f}, {1.f, 0.f, 1.f}, {4.f, 3.f, 4.f}}).view({1, 1, 3, 3}));
}

// ---- gradcheck in float64 -------------------------------------------------------------------

void expect_gradcheck(const std::function<Tensor(const TensorList&)>& fn, const TensorList& in,
                      bool grad_grad) {
    EXPECT_TRUE(autograd::gradcheck([&](const TensorList& a) { return TensorList{fn(a)}; }, in,
                                   {.check_grad_grad = grad_grad}));
}

TEST(ConvGradcheck, Conv2d) {
    const Tensor x = test::grad_leaf({2, 4, 5, 6}, 1), w = test::strided_grad_leaf({4, 2, 3, 2}, 2);
    const Tensor b = test::grad_leaf({4}, 3);
    expect_gradcheck([](const TensorList& a) { return F::conv2d(a[0], a[1], a[2]); },
                     {x, test::grad_leaf({4, 4, 2, 3}, 15), b}, true);
    expect_gradcheck(
        [](const TensorList& a) {
            return F::conv2d(a[0], a[1], a[2], {.stride = {2, 1}, .padding = 1, .dilation = {1, 2},
                                                .groups = 2});
        },
        {x, w, b}, true);
    const Tensor xs = test::strided_grad_leaf({4, 5, 6}, 4);  // unbatched, non-contiguous
    expect_gradcheck(
        [](const TensorList& a) { return F::conv2d(a[0], a[1], {}, {.padding = "same"}); },
        {xs, test::grad_leaf({3, 4, 2, 2}, 5)}, true);
}

TEST(ConvGradcheck, Conv1dAndTransposed) {
    expect_gradcheck(
        [](const TensorList& a) {
            return F::conv1d(a[0], a[1], a[2], {.stride = 2, .padding = 1, .dilation = 2});
        },
        {test::strided_grad_leaf({2, 3, 9}, 6), test::grad_leaf({2, 3, 3}, 7),
         test::grad_leaf({2}, 8)},
        true);
    expect_gradcheck(
        [](const TensorList& a) {
            return F::conv_transpose2d(a[0], a[1], a[2], {.stride = 2, .padding = 1,
                                                          .output_padding = 1, .groups = 2});
        },
        {test::grad_leaf({2, 4, 3, 3}, 9), test::strided_grad_leaf({4, 1, 3, 3}, 10),
         test::grad_leaf({2}, 11)},
        true);
}

TEST(ConvGradcheck, PaddingModesAndWindowOps) {
    nn::Conv2d reflect(2, 2, 3, {.padding = {1, 2}, .padding_mode = "reflect"});
    nn::Conv2d circular(2, 2, 3, {.padding = 1, .padding_mode = "circular"});
    reflect.to(DType::Float64);
    circular.to(DType::Float64);
    const Tensor x = test::grad_leaf({1, 2, 4, 5}, 12);
    expect_gradcheck([&](const TensorList& a) { return reflect(a[0]); }, {x}, false);
    expect_gradcheck([&](const TensorList& a) { return circular(a[0]); }, {x}, false);
    expect_gradcheck([](const TensorList& a) { return im2col(a[0], {2, 3}, 1, 1, {2, 1}); },
                     {test::strided_grad_leaf({2, 2, 4, 5}, 13)}, true);
    expect_gradcheck([](const TensorList& a) { return col2im(a[0], {4, 5}, {2, 3}, 1, 1, {2, 1}); },
                     {test::grad_leaf({2, 12, 15}, 14)}, true);
}

TEST(ConvOps, Im2ColCol2ImAreAdjoint) {
    // <im2col(x), c> == <x, col2im(c)> for any x and c.
    const Tensor x = randn({2, 3, 6, 7}, {.dtype = DType::Float64});
    const Tensor cols = im2col(x, {3, 2}, {2, 1}, {1, 2}, {2, 3});
    const Tensor c = randn(cols.sizes(), {.dtype = DType::Float64});
    const Tensor back = col2im(c, {6, 7}, {3, 2}, {2, 1}, {1, 2}, {2, 3});
    EXPECT_NEAR((cols * c).sum().item<double>(), (x * back).sum().item<double>(), 1e-9);
    EXPECT_EQ(im2col(x[0], 3).sizes(), IntArrayRef({27, 20}));
}

TEST(ConvOps, ThreadCountIndependent) {
    manual_seed(0);
    const Tensor x = randn({8, 16, 14, 14}).requires_grad_();
    const Tensor w = randn({30, 16, 5, 5}).requires_grad_();
    const int before = get_num_threads();
    TensorList results;
    for (int threads : {1, 2, 3}) {
        set_num_threads(threads);
        Tensor out = F::conv2d(x, w, {}, {.padding = 1});
        TensorList g = autograd::grad({out.pow(2).sum()}, {x, w});
        results.push_back(out.detach());
        results.push_back(g[0]);
        results.push_back(g[1]);
    }
    set_num_threads(before);
    for (size_t i = 3; i < results.size(); ++i) EXPECT_TENSOR_EQ(results[i], results[i % 3]);
}

// ---- errors ---------------------------------------------------------------------------------

TEST(ConvErrors, Functional) {
    const Tensor x = randn({1, 3, 10, 10});
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 4, 3, 3})),
                       "Given groups=1, weight of size [6, 4, 3, 3], expected input[1, 3, 10, 10] "
                       "to have 4 channels, but got 3 channels instead");
    EXPECT_EMBER_ERROR(F::conv2d(randn({1, 4, 2, 2}), randn({6, 4, 3, 3})),
                       "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). "
                       "Kernel size can't be greater than actual input size");
    EXPECT_EMBER_ERROR(F::conv1d(randn({1, 4, 2}), randn({6, 4, 2}), {}, {.dilation = 3}),
                       "Calculated padded input size per channel: (2). Kernel size: (4).");
    EXPECT_EMBER_ERROR(F::conv2d(randn({1, 4, 5, 5}), randn({3, 2, 3, 3}), {}, {.groups = 2}),
                       "Given groups=2, expected weight to be divisible by 2 at dimension 0, but "
                       "got weight of size [3, 2, 3, 3] instead");
    EXPECT_EMBER_ERROR(F::conv2d(randn({1, 4, 5, 5}), randn({6, 4, 3, 3}), randn({5})),
                       "Given weight of size [6, 4, 3, 3], expected bias to be 1-dimensional with "
                       "6 elements, but got bias of size [5] instead");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), {}, {.stride = 2, .padding = "same"}),
                       "padding='same' is not supported for strided convolutions");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), {}, {.padding = "foo"}),
                       "Invalid padding string: 'foo'");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), {}, {.padding = -1}),
                       "negative padding is not supported");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), {}, {.stride = 0}),
                       "non-positive stride is not supported");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), {}, {.dilation = 0}),
                       "dilation should be greater than zero, but got [0, 0]");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), {}, {.groups = 0}),
                       "non-positive groups is not supported");
    EXPECT_EMBER_ERROR(F::conv2d(randn({4, 5, 5, 5, 5}), randn({6, 4, 3, 3})),
                       "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of "
                       "size: [4, 5, 5, 5, 5]");
    EXPECT_EMBER_ERROR(F::conv1d(randn({4, 5, 5, 5}), randn({6, 4, 3})),
                       "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of "
                       "size: [4, 5, 5, 5]");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3})), "conv2d: expected a 4-D weight",
                       "[6, 3, 3]");
    EXPECT_EMBER_ERROR(F::conv2d(x.to(DType::Float64), randn({6, 3, 3, 3})),
                       "Input type (float64) and weight type (float32) should be the same");
    EXPECT_EMBER_ERROR(F::conv2d(x, randn({6, 3, 3, 3}), randn({6}, {.dtype = DType::Float64})),
                       "Input type (float32) and bias type (float64) should be the same");
    EXPECT_EMBER_ERROR(F::conv2d(x.to(DType::Int64), randn({6, 3, 3, 3}).to(DType::Int64)),
                       "expected float32 or float64 tensors, got a int64 input");
    EXPECT_EMBER_ERROR(F::conv2d(Tensor(), randn({6, 3, 3, 3})), "conv2d");
    EXPECT_EMBER_ERROR(convolution(x, randn({6, 3, 3, 3}), {}, {1, 1, 1}, 0, 1, false, 0, 1),
                       "expected stride to be a single integer value or a list of 2 values to "
                       "match the convolution dimensions, but got stride=[1, 1, 1]");
}

TEST(ConvErrors, Transposed) {
    EXPECT_EMBER_ERROR(F::conv_transpose2d(randn({1, 3, 5, 5}), randn({4, 6, 3, 3})),
                       "Given transposed=1, weight of size [4, 6, 3, 3], expected input[1, 3, 5, 5] "
                       "to have 4 channels, but got 3 channels instead");
    EXPECT_EMBER_ERROR(F::conv_transpose2d(randn({1, 4, 5, 5}), randn({4, 6, 3, 3}), {},
                                           {.output_padding = 1}),
                       "output padding must be smaller than either stride or dilation, but got "
                       "output_padding_height: 1 output_padding_width: 1 stride_height: 1 "
                       "stride_width: 1 dilation_height: 1 dilation_width: 1");
    EXPECT_EMBER_ERROR(F::conv_transpose2d(randn({1, 4, 5, 5}), randn({4, 6, 3, 3}), {},
                                           {.groups = 3}),
                       "Given groups=3, expected weight to be divisible by 3 at dimension 0");
    EXPECT_EMBER_ERROR(F::conv_transpose2d(randn({1, 4, 5, 5}), randn({4, 6, 3, 3}), randn({5})),
                       "Given transposed=1, weight of size [4, 6, 3, 3], expected bias to be "
                       "1-dimensional with 6 elements, but got bias of size [5] instead");
    EXPECT_EMBER_ERROR(F::conv_transpose2d(randn({1, 4, 1, 1}), randn({4, 6, 3, 3}), {},
                                           {.padding = 3}),
                       "Given input size per channel: (1 x 1). Calculated output size per channel: "
                       "(-3 x -3). Output size is too small");
}

TEST(ConvErrors, Modules) {
    EXPECT_EMBER_ERROR(nn::Conv2d(3, 8, 3, {.groups = 2}), "in_channels must be divisible by groups");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, 3, {.groups = 4}), "out_channels must be divisible by groups");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, 3, {.groups = 0}), "groups must be a positive integer");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, 3, {.padding = "foo"}),
                       "Invalid padding string 'foo', should be one of {'valid', 'same'}");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, 3, {.stride = 2, .padding = "same"}),
                       "padding='same' is not supported for strided convolutions");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, 3, {.padding_mode = "foo"}),
                       "padding_mode must be one of", "but got padding_mode='foo'");
    EXPECT_EMBER_ERROR(nn::ConvTranspose2d(4, 6, 3, {.padding_mode = "reflect"}),
                       "Only \"zeros\" padding mode is supported for ConvTranspose2d");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, {3, 0}), "kernel_size must be positive");
    EXPECT_EMBER_ERROR(nn::Conv2d(4, 6, {3, 3, 3}), "expected a single value or a list of 2");
    nn::Conv2d reflect(4, 6, 3, {.padding = 4, .padding_mode = "reflect"});
    EXPECT_EMBER_ERROR(reflect(randn({1, 4, 3, 3})),
                       "Padding size should be less than the corresponding input dimension");
    // Inside a model the error names the layer's path.
    struct Net : nn::Module {
        nn::Conv2d& conv1 = register_module("conv1", nn::Conv2d(4, 6, 3));
        Tensor forward(const Tensor& x) override { return conv1(x); }
    } net;
    EXPECT_EMBER_ERROR(net(randn({1, 3, 10, 10})), "conv1 (Conv2d): ",
                       "expected input[1, 3, 10, 10] to have 4 channels, but got 3 channels instead");
}

TEST(ConvErrors, WindowOps) {
    EXPECT_EMBER_ERROR(im2col(randn({5, 5}), 2), "Only 3D or 4D input Tensors are supported (got 2D)");
    EXPECT_EMBER_ERROR(im2col(randn({1, 1, 2, 2}), 3), "im2col", "must be at least one");
    EXPECT_EMBER_ERROR(col2im(randn({1, 7, 4}), {3, 3}, 2),
                       "Expected size of input's dimension 1 to be divisible by the product of "
                       "kernel_size, but got input.size(1)=7 and kernel_size=[2, 2]");
    EXPECT_EMBER_ERROR(col2im(randn({1, 8, 5}), {3, 3}, 2),
                       "expected size of input's dimension 2 to match the calculated number of "
                       "sliding blocks 2 * 2 = 4, but got input.size(2)=5");
}

}  // namespace
}  // namespace ember
