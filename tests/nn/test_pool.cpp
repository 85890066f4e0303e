// Pooling (ember/nn/pooling.h) against PyTorch (tools/golden/nn_pool.py): values, indices and
// gradients of max_pool1d/2d, avg_pool2d and adaptive_avg_pool2d over many window settings, in
// functional and module form, contiguous or not; ties and NaN; double backward; float64
// gradchecks (with double backward); reprs; thread-count independence; every error path.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

#include "ember/ember.h"
#include "ember/nn/pooling.h"
#include "support/golden.h"
#include "support/grad_inputs.h"

namespace ember {
namespace {

namespace F = nn::functional;
using test::json;
using test::load_golden;
using test::tensor_from_json;

const json& golden() {
    static const json g = load_golden("nn_pool");
    return g;
}

// A fixture's `int or list` argument; an empty PoolSize for null.
nn::PoolSize pool_size(const json& j) {
    if (j.is_null()) return {};
    if (j.is_number()) return j.get<int64_t>();
    nn::PoolSize s;
    for (const auto& v : j) s.values.push_back(v.get<int64_t>());
    return s;
}

// The same values with other strides (every tensor here has at least 2 dims).
Tensor non_contiguous(const Tensor& t) {
    return t.transpose(-1, -2).contiguous().transpose(-1, -2);
}

nn::MaxPool2dOptions max2d_options(const json& o) {
    return {.stride = pool_size(o.at("stride")), .padding = pool_size(o.at("padding")),
            .dilation = pool_size(o.at("dilation")), .ceil_mode = o.at("ceil_mode")};
}

nn::AvgPool2dOptions avg2d_options(const json& o) {
    const json& div = o.at("divisor_override");
    return {.stride = pool_size(o.at("stride")), .padding = pool_size(o.at("padding")),
            .ceil_mode = o.at("ceil_mode"), .count_include_pad = o.at("count_include_pad"),
            .divisor_override = div.is_null() ? std::nullopt
                                              : std::optional<int64_t>(div.get<int64_t>())};
}

// Checks a case's values, gradient (for the fixture's grad_output) and grad_fn, for a
// contiguous and a non-contiguous input. `run` returns (values, indices or undefined).
template <class Run>
void check_case(const json& c, Run run) {
    SCOPED_TRACE(c.at("options").dump());
    const Tensor x0 = tensor_from_json(c.at("input"));
    for (const Tensor& base : {x0, non_contiguous(x0)}) {
        const Tensor x = base.detach().requires_grad_();
        auto [out, indices] = run(x);
        EXPECT_TENSOR_CLOSE(out, tensor_from_json(c.at("out")));
        if (c.contains("indices")) {
            EXPECT_TENSOR_EQ(indices, tensor_from_json(c.at("indices")));
        }
        ASSERT_TRUE(out.grad_fn());
        EXPECT_EQ(out.grad_fn()->name(), c.at("grad_fn").get<std::string>());
        const Tensor go = tensor_from_json(c.at("grad_output"));
        const TensorList g = autograd::grad({out}, {x}, {go});
        EXPECT_TENSOR_CLOSE(g[0], tensor_from_json(c.at("grad")));
    }
}

TEST(Pool, MaxPool2dMatchesPyTorch) {
    for (const json& c : golden().at("max_pool2d")) {
        const json& o = c.at("options");
        const nn::PoolSize k = pool_size(o.at("kernel_size"));
        const nn::MaxPool2dOptions opt = max2d_options(o);
        check_case(c, [&](const Tensor& x) { return F::max_pool2d_with_indices(x, k, opt); });
        // The module, and the values alone without autograd (no indices computed).
        nn::MaxPool2d pool(k, opt);
        const Tensor x = tensor_from_json(c.at("input"));
        EXPECT_TENSOR_CLOSE(pool(x), tensor_from_json(c.at("out")));
        EXPECT_TENSOR_EQ(pool.forward_with_indices(x).second, tensor_from_json(c.at("indices")));
        EXPECT_TENSOR_CLOSE(F::max_pool2d(non_contiguous(x), k, opt),
                            tensor_from_json(c.at("out")));
    }
}

TEST(Pool, MaxPool1dMatchesPyTorch) {
    for (const json& c : golden().at("max_pool1d")) {
        const json& o = c.at("options");
        const int64_t k = o.at("kernel_size");
        const nn::MaxPool1dOptions opt{
            .stride = o.at("stride").is_null() ? std::nullopt
                                               : std::optional<int64_t>(o.at("stride")),
            .padding = o.at("padding"), .dilation = o.at("dilation"),
            .ceil_mode = o.at("ceil_mode")};
        check_case(c, [&](const Tensor& x) { return F::max_pool1d_with_indices(x, k, opt); });
        nn::MaxPool1d pool(k, opt);
        const Tensor x = tensor_from_json(c.at("input"));
        EXPECT_TENSOR_CLOSE(pool(x), tensor_from_json(c.at("out")));
        EXPECT_TENSOR_EQ(pool.forward_with_indices(x).second, tensor_from_json(c.at("indices")));
    }
}

TEST(Pool, AvgPool2dMatchesPyTorch) {
    for (const json& c : golden().at("avg_pool2d")) {
        const json& o = c.at("options");
        const nn::PoolSize k = pool_size(o.at("kernel_size"));
        const nn::AvgPool2dOptions opt = avg2d_options(o);
        check_case(c, [&](const Tensor& x) {
            return std::pair{F::avg_pool2d(x, k, opt), Tensor()};
        });
        EXPECT_TENSOR_CLOSE(nn::AvgPool2d(k, opt)(tensor_from_json(c.at("input"))),
                            tensor_from_json(c.at("out")));
    }
}

TEST(Pool, AdaptiveAvgPool2dMatchesPyTorch) {
    for (const json& c : golden().at("adaptive_avg_pool2d")) {
        const nn::PoolSize size = pool_size(c.at("options").at("output_size"));
        check_case(c, [&](const Tensor& x) {
            return std::pair{F::adaptive_avg_pool2d(x, size), Tensor()};
        });
        EXPECT_TENSOR_CLOSE(nn::AdaptiveAvgPool2d(size)(tensor_from_json(c.at("input"))),
                            tensor_from_json(c.at("out")));
    }
}

// The vectorised float32 path of 2x2 windows (16 windows a step, masked tails) against the
// float64 path, which runs the scalar loop checked against PyTorch above: same values and the
// same indices, with frequent ties, NaN and -inf, odd sizes and widths around 16 and 32.
TEST(Pool, MaxPool2dFloatRowsEqualScalarPath) {
    manual_seed(3);
    for (const int64_t h : {2, 3, 7}) {
        for (const int64_t w : {2, 5, 30, 31, 32, 33, 34, 65}) {
            Tensor x = randint(-2, 3, {2, 3, h, w}).to(float32);
            float* data = x.data_ptr<float>();
            data[0] = NAN;  // a NaN first in its window, one later, and a -inf
            data[w + 1] = NAN;
            data[7] = -INFINITY;
            const auto [values, indices] = F::max_pool2d_with_indices(x, 2);
            const auto [expected_values, expected_indices] =
                F::max_pool2d_with_indices(x.to(float64), 2);
            EXPECT_TENSOR_EQ(indices, expected_indices);
            // NaN compares unequal: NaN where expected, equal values elsewhere.
            auto finite = [](const Tensor& v) { return where(isnan(v), 7.0, v.to(float64)); };
            EXPECT_TENSOR_EQ(isnan(values), isnan(expected_values));
            EXPECT_TENSOR_EQ(finite(values), finite(expected_values));
            EXPECT_TENSOR_EQ(finite(F::max_pool2d(x, 2)), finite(expected_values));
        }
    }
}

// The backward of 2x2 windows of stride 2 writes every position once (the windows do not
// overlap): it equals the gradient scattered to the argmax indices, with zeros elsewhere,
// including a last row and column that no window covers, for float32 (16 windows a step) and
// float64, widths around 16 and 32, ties and a non-contiguous input.
TEST(Pool, MaxPool2dWindows2x2BackwardEqualsTheScatter) {
    manual_seed(4);
    for (const DType dtype : {float32, float64}) {
        for (const int64_t w : {2, 3, 31, 32, 33, 65, 66}) {
            for (const bool transposed : {false, true}) {
                SCOPED_TRACE(testing::Message() << dtype_name(dtype) << " width " << w
                                                << (transposed ? " non-contiguous" : ""));
                Tensor x = randint(-2, 3, {2, 3, 5, w}).to(dtype);
                if (transposed) x = x.transpose(2, 3).contiguous().transpose(2, 3);
                x.requires_grad_();
                const auto [out, indices] = F::max_pool2d_with_indices(x, 2);
                const Tensor up = randn(out.sizes(), {.dtype = dtype});
                (out * up).sum().backward();
                const Tensor expected = zeros({2, 3, 5 * w}, {.dtype = dtype})
                                            .scatter_add(2, indices.flatten(2), up.flatten(2))
                                            .view({2, 3, 5, w});
                EXPECT_TENSOR_EQ(x.grad(), expected);
            }
        }
    }
}

// The gradient of max pooling's backward with respect to grad_output: a gather at the indices.
TEST(Pool, MaxPool2dDoubleBackwardMatchesPyTorch) {
    const json& c = golden().at("double_backward");
    const Tensor x = tensor_from_json(c.at("input")).requires_grad_();
    const Tensor go = tensor_from_json(c.at("grad_output")).requires_grad_();
    const Tensor out = F::max_pool2d(x, 3, {.stride = 2, .padding = 1});
    const Tensor gi = autograd::grad({out}, {x}, {go}, std::nullopt, true)[0];
    EXPECT_TENSOR_CLOSE(gi, tensor_from_json(c.at("grad_input")));
    ASSERT_TRUE(gi.grad_fn());
    EXPECT_EQ(gi.grad_fn()->name(), c.at("grad_fn").get<std::string>());
    const Tensor ggo = autograd::grad({gi}, {go}, {tensor_from_json(c.at("v"))})[0];
    EXPECT_TENSOR_CLOSE(ggo, tensor_from_json(c.at("grad_grad_output")));
}

TEST(Pool, Reprs) {
    const json& r = golden().at("reprs");
    auto expect = [&](const nn::Module& m, const char* key) {
        EXPECT_EQ(m.repr(), r.at(key).get<std::string>()) << key;
    };
    expect(nn::MaxPool2d(2), "MaxPool2d(2)");
    expect(nn::MaxPool2d(3, {.stride = 2, .padding = 1, .ceil_mode = true}),
           "MaxPool2d(3, stride=2, padding=1, ceil_mode=True)");
    expect(nn::MaxPool2d({3, 2}, {.stride = {2, 1}, .dilation = {1, 2}}),
           "MaxPool2d((3, 2), stride=(2, 1), dilation=(1, 2))");
    expect(nn::MaxPool1d(3), "MaxPool1d(3)");
    expect(nn::MaxPool1d(4, {.stride = 2, .padding = 1, .dilation = 2, .ceil_mode = true}),
           "MaxPool1d(4, stride=2, padding=1, dilation=2, ceil_mode=True)");
    expect(nn::AvgPool2d(2), "AvgPool2d(2)");
    expect(nn::AvgPool2d({3, 2}, {.stride = 1, .padding = {1, 0}, .ceil_mode = true,
                                  .count_include_pad = false, .divisor_override = 3}),
           "AvgPool2d((3, 2), stride=1, padding=(1, 0), ceil_mode=True, count_include_pad=False, "
           "divisor_override=3)");
    expect(nn::AdaptiveAvgPool2d(1), "AdaptiveAvgPool2d(1)");
    expect(nn::AdaptiveAvgPool2d({5, 7}), "AdaptiveAvgPool2d((5, 7))");
    EXPECT_EQ(nn::MaxPool2d(2).repr(),
              "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
}

// ---- the reference examples (reference/nn.md, reference/autograd.md) -----------------------

Tensor grad_of_sum(const Tensor& x, const std::function<Tensor(const Tensor&)>& f) {
    const Tensor leaf = x.detach().requires_grad_();
    return autograd::grad({f(leaf).sum()}, {leaf})[0];
}

TEST(Pool, ReferenceExamples) {
    const Tensor a = arange(25.0).view({1, 5, 5});
    auto sizes = [](nn::MaxPool2d m, const Tensor& x) { return m(x).sizes().vec(); };
    const std::vector<int64_t> s2{1, 2, 2}, s3{1, 3, 3};
    EXPECT_EQ(sizes(nn::MaxPool2d(2), a), s2);
    EXPECT_EQ(sizes(nn::MaxPool2d(2, {.ceil_mode = true}), a), s3);
    EXPECT_EQ(sizes(nn::MaxPool2d(3, {.stride = 2, .padding = 1}), a), s3);
    EXPECT_EQ(sizes(nn::MaxPool2d(3, {.stride = 2}), zeros({1, 6, 6})), s2);
    EXPECT_EQ(sizes(nn::MaxPool2d(3, {.stride = 2, .ceil_mode = true}), zeros({1, 6, 6})), s3);
    EXPECT_EQ(sizes(nn::MaxPool2d(2, {.stride = 2, .padding = 1, .ceil_mode = true}), a), s3);
    EXPECT_EQ(sizes(nn::MaxPool2d(3, {.stride = 2, .dilation = 2}), zeros({1, 7, 7})), s2);

    // Padding is -inf: it never wins.
    EXPECT_TENSOR_EQ(F::max_pool2d(tensor({{{-1.f, -2.f}, {-3.f, -4.f}}}), 2,
                                   {.stride = 1, .padding = 1}),
                     tensor({{{-1.f, -1.f, -2.f}, {-1.f, -1.f, -2.f}, {-3.f, -3.f, -4.f}}}));
    // Partial windows in ceil mode use the in-bounds elements.
    EXPECT_TENSOR_EQ(F::max_pool2d(a, 2, {.ceil_mode = true}),
                     tensor({{{6.f, 8.f, 9.f}, {16.f, 18.f, 19.f}, {21.f, 23.f, 24.f}}}));
    auto [v, i] = F::max_pool2d_with_indices(a, 2);
    EXPECT_TENSOR_EQ(v, tensor({{{6.f, 8.f}, {16.f, 18.f}}}));
    EXPECT_TENSOR_EQ(i, tensor({{{int64_t{6}, int64_t{8}}, {int64_t{16}, int64_t{18}}}}));

    // Ties: the whole gradient to the first maximum in row-major order.
    EXPECT_TENSOR_EQ(grad_of_sum(ones({1, 2, 2}),
                                 [](const Tensor& x) { return F::max_pool2d(x, 2); }),
                     tensor({{{1.f, 0.f}, {0.f, 0.f}}}));
    EXPECT_TENSOR_EQ(grad_of_sum(tensor({{{1.f, 2.f, 2.f}, {0.f, 2.f, 1.f}, {0.f, 0.f, 0.f}}}),
                                 [](const Tensor& x) {
                                     return F::max_pool2d(x, 2, {.stride = 1});
                                 }),
                     tensor({{{0.f, 2.f, 0.f}, {0.f, 2.f, 0.f}, {0.f, 0.f, 0.f}}}));
}

TEST(Pool, AdaptiveOneByOneIsTheMean) {
    const Tensor x = test::grad_leaf({2, 3, 5, 4}, 3);
    const Tensor y = F::adaptive_avg_pool2d(x, 1);
    EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{2, 3, 1, 1}));
    EXPECT_EQ(y.grad_fn()->name(), "MeanBackward1");
    EXPECT_TENSOR_CLOSE(y, x.mean({-1, -2}, true));
    // An output of size 0 is empty, as in PyTorch.
    EXPECT_EQ(F::adaptive_avg_pool2d(zeros({3, 2, 2}), 0).sizes().vec(),
              (std::vector<int64_t>{3, 0, 0}));
}

TEST(Pool, EmptyBatchAndDtypes) {
    EXPECT_EQ(F::max_pool2d(zeros({0, 2, 4, 4}), 2).sizes().vec(),
              (std::vector<int64_t>{0, 2, 2, 2}));
    EXPECT_EQ(F::avg_pool2d(zeros({0, 2, 4, 4}), 2).sizes().vec(),
              (std::vector<int64_t>{0, 2, 2, 2}));
    // float64 and bfloat16 give float32's values (bfloat16 rounded).
    const Tensor x = randn({2, 3, 7, 6});
    for (DType dt : {DType::Float64, DType::BFloat16}) {
        const Tensor xd = x.to(dt);
        const double tol = dt == DType::BFloat16 ? 1e-2 : 1e-6;
        EXPECT_TENSOR_CLOSE(F::max_pool2d(xd, 3, {.stride = 2, .padding = 1}),
                            F::max_pool2d(xd.to(DType::Float32), 3, {.stride = 2, .padding = 1})
                                .to(dt));
        EXPECT_TENSOR_CLOSE(F::avg_pool2d(xd, 3, {.stride = 2, .padding = 1}).to(DType::Float32),
                            F::avg_pool2d(xd.to(DType::Float32), 3, {.stride = 2, .padding = 1}),
                            tol, tol);
        EXPECT_TENSOR_CLOSE(F::adaptive_avg_pool2d(xd, {4, 5}).to(DType::Float32),
                            F::adaptive_avg_pool2d(xd.to(DType::Float32), {4, 5}), tol, tol);
    }
}

// Each plane is computed by one thread: the same bits for any thread count.
TEST(Pool, ThreadCountIndependent) {
    const Tensor x = randn({8, 16, 30, 30}).requires_grad_();
    auto run = [&] {
        auto [v, i] = F::max_pool2d_with_indices(x, 3, {.stride = 2, .padding = 1});
        const Tensor a = F::avg_pool2d(x, 3, {.stride = 2, .padding = 1});
        const Tensor b = F::adaptive_avg_pool2d(x, {7, 9});
        const Tensor g = autograd::grad({v.sum() + a.sum() + b.sum()}, {x})[0];
        return TensorList{v, i, a, b, g};
    };
    const int threads = get_num_threads();
    const TensorList many = run();
    set_num_threads(1);
    const TensorList one = run();
    set_num_threads(threads);
    for (size_t k = 0; k < many.size(); ++k) EXPECT_TENSOR_EQ(many[k], one[k]);
}

// ---- gradcheck in float64, with double backward -------------------------------------------

void expect_gradcheck(const std::function<Tensor(const Tensor&)>& fn, const Tensor& x) {
    EXPECT_TRUE(autograd::gradcheck([&](const TensorList& a) { return TensorList{fn(a[0])}; },
                                    {x}, {.check_grad_grad = true}));
}

TEST(PoolGradcheck, MaxPool) {
    for (const Tensor& x :
         {test::grad_leaf({2, 2, 6, 7}, 1), test::strided_grad_leaf({2, 6, 7}, 2)}) {
        expect_gradcheck([](const Tensor& t) { return F::max_pool2d(t, 2); }, x);
        expect_gradcheck([](const Tensor& t) {
            return F::max_pool2d(t, 3, {.stride = 2, .padding = 1, .ceil_mode = true});
        }, x);
        expect_gradcheck([](const Tensor& t) {
            return F::max_pool2d(t, {3, 2}, {.stride = 1, .padding = {1, 0}, .dilation = {1, 2}});
        }, x);
    }
    expect_gradcheck([](const Tensor& t) {
        return F::max_pool1d(t, 3, {.stride = 2, .padding = 1, .ceil_mode = true});
    }, test::strided_grad_leaf({2, 3, 9}, 3));
}

TEST(PoolGradcheck, AvgPool) {
    for (const Tensor& x :
         {test::grad_leaf({2, 2, 6, 7}, 4), test::strided_grad_leaf({2, 6, 7}, 5)}) {
        expect_gradcheck([](const Tensor& t) { return F::avg_pool2d(t, 2); }, x);
        expect_gradcheck([](const Tensor& t) {
            return F::avg_pool2d(t, 3, {.stride = 2, .padding = 1, .ceil_mode = true,
                                        .count_include_pad = false});
        }, x);
        expect_gradcheck([](const Tensor& t) {
            return F::avg_pool2d(t, {3, 2}, {.stride = {2, 1}, .padding = {1, 1},
                                             .divisor_override = 4});
        }, x);
    }
}

TEST(PoolGradcheck, AdaptiveAvgPool) {
    for (const Tensor& x :
         {test::grad_leaf({2, 2, 7, 5}, 6), test::strided_grad_leaf({2, 7, 5}, 7)}) {
        expect_gradcheck([](const Tensor& t) { return F::adaptive_avg_pool2d(t, {3, 4}); }, x);
        expect_gradcheck([](const Tensor& t) { return F::adaptive_avg_pool2d(t, {9, 2}); }, x);
        expect_gradcheck([](const Tensor& t) { return F::adaptive_avg_pool2d(t, 1); }, x);
    }
}

// ---- errors --------------------------------------------------------------------------------

TEST(Pool, Errors) {
    const Tensor x = zeros({3, 2, 2});
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 3), "max_pool2d", "Given input size: (3x2x2). "
                       "Calculated output size: (3x0x0). Output size is too small");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.padding = 2}),
                       "pad should be at most half of kernel size, but got pad=2 and "
                       "kernel_size=2");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.padding = -1}),
                       "pad must be non-negative, but got pad: -1");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 0), "stride should not be zero");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 0, {.stride = 1}),
                       "kernel size should be greater than zero, but got kH: 0 kW: 0");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, {2, -1}, {.stride = 1}),
                       "kernel size should be greater than zero, but got kH: 2 kW: -1");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.stride = -1}),
                       "stride should be greater than zero, but got dH: -1 dW: -1");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.stride = 0}), "stride should not be zero");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 1, {.dilation = {1, 0}}),
                       "dilation should be greater than zero, but got dilationH: 1 dilationW: 0");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, {2, 2, 2}),
                       "max_pool2d: kernel_size must either be a single int, or a tuple of two "
                       "ints");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, nn::PoolSize()), "kernel_size must either be");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.stride = {1, 1, 1}}),
                       "stride must either be omitted, a single int, or a tuple of two ints");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.padding = {1, 1, 1}}), "padding must either be");
    EXPECT_EMBER_ERROR(F::max_pool2d(x, 2, {.dilation = {1, 1, 1}}), "dilation must either be");
    EXPECT_EMBER_ERROR(F::max_pool2d(zeros({2, 3}), 2), "Expected 3D or 4D (batch mode) tensor "
                       "with optional 0 dim batch size for input, but got: [2, 3]");
    EXPECT_EMBER_ERROR(F::max_pool2d(zeros({2, 0, 2, 2}), 1), "but got: [2, 0, 2, 2]");
    EXPECT_EMBER_ERROR(F::max_pool2d(zeros({0, 2, 2}), 1), "but got: [0, 2, 2]");
    EXPECT_EMBER_ERROR(F::max_pool2d(zeros({3, 2, 2}, {.dtype = DType::Int64}), 2),
                       "\"max_pool2d\" not implemented for 'Long'");
    EXPECT_EMBER_ERROR(F::max_pool2d(zeros({3, 2, 2}, {.dtype = DType::Float16}), 2),
                       "\"max_pool2d\" not implemented for 'Half'");
    EXPECT_EMBER_ERROR(F::max_pool2d(Tensor(), 2), "max_pool2d");

    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 2}), 3), "Output size is too small");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 2}), 1, {.padding = 1}),
                       "max_pool1d() padding should be at most half of kernel size, but got "
                       "padding=1 and kernel_size=1");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 2}), 0),
                       "max_pool1d() kernel_size must be greater than zero, but got 0");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 3}), 1, {.stride = 0}),
                       "max_pool1d() stride must be greater than zero, but got 0");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 5}), 2, {.padding = -1}),
                       "max_pool1d() padding must be non-negative, but got -1");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 5}), 2, {.dilation = 0}),
                       "max_pool1d() dilation must be greater than zero, but got 0");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3}), 1), "max_pool1d: Expected 2D or 3D (batch mode) "
                       "tensor with optional 0 dim batch size for input, but got: [3]");
    EXPECT_EMBER_ERROR(F::max_pool1d(zeros({3, 0}), 1), "but got: [3, 0]");

    EXPECT_EMBER_ERROR(F::avg_pool2d(x, 3), "avg_pool2d", "Output size is too small");
    EXPECT_EMBER_ERROR(F::avg_pool2d(x, 2, {.padding = 2}),
                       "pad should be at most half of kernel size");
    EXPECT_EMBER_ERROR(F::avg_pool2d(x, 0, {.stride = 1}),
                       "kernel size should be greater than zero");
    EXPECT_EMBER_ERROR(F::avg_pool2d(x, 2, {.stride = -1}), "stride should be greater than zero");
    EXPECT_EMBER_ERROR(F::avg_pool2d(x, 2, {.divisor_override = 0}), "divisor must be not zero");
    EXPECT_EMBER_ERROR(F::avg_pool2d(zeros({2, 3}), 2), "Expected 3D or 4D");
    EXPECT_EMBER_ERROR(F::avg_pool2d(zeros({3, 2, 2}, {.dtype = DType::Int32}), 2),
                       "\"avg_pool2d\" not implemented for 'Int'");

    EXPECT_EMBER_ERROR(F::adaptive_avg_pool2d(zeros({2, 3}), 2),
                       "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [2, 3]");
    EXPECT_EMBER_ERROR(F::adaptive_avg_pool2d(zeros({2, 0, 3}), 2),
                       "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                       "dimensions, but input has sizes [2, 0, 3] with dimension 1 being empty");
    EXPECT_EMBER_ERROR(F::adaptive_avg_pool2d(x, -1), "adaptive_avg_pool2d: elements of "
                       "output_size must be greater than or equal to 0 but received {-1, -1}");
    EXPECT_EMBER_ERROR(F::adaptive_avg_pool2d(x, {2, 2, 2}), "adaptive_avg_pool2d: output_size");

    // Inside a module, the module's type prefixes the message.
    EXPECT_EMBER_ERROR(nn::MaxPool2d(3)(x), "MaxPool2d", "Output size is too small");
    EXPECT_EMBER_ERROR(nn::MaxPool2d(3).forward_with_indices(x), "MaxPool2d", "too small");
}

}  // namespace
}  // namespace ember
