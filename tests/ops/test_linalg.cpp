// Matrix products (mm, bmm, matmul, addmm, dot, mv, outer) against PyTorch: the cases and error
// messages of tests/golden/linalg.json (tools/golden/linalg.py), plus thread-count independence
// and sizes too large for a fixture.
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "support/golden.h"

using namespace ember;
using ember::test::json;

namespace {

// Rebuilds the view the golden script took of a contiguous base (see tools/golden/linalg.py).
Tensor apply_view(Tensor x, const json& steps) {
    for (const json& step : steps) {
        const std::string kind = step.at(0).get<std::string>();
        if (kind == "t") {
            x = x.t();
        } else if (kind == "transpose") {
            x = x.transpose(step.at(1).get<int64_t>(), step.at(2).get<int64_t>());
        } else if (kind == "permute") {
            x = x.permute(step.at(1).get<std::vector<int64_t>>());
        } else if (kind == "expand") {
            x = x.expand(step.at(1).get<std::vector<int64_t>>());
        } else if (kind == "step") {  // x[..., ::k] along dim
            int64_t dim = step.at(1).get<int64_t>(), k = step.at(2).get<int64_t>();
            std::vector<int64_t> sizes = x.sizes().vec(), strides = x.strides().vec();
            sizes[dim] = (sizes[dim] + k - 1) / k;
            strides[dim] *= k;
            x = x.as_strided(sizes, strides);
        } else {
            ADD_FAILURE() << "unknown view step " << kind;
        }
    }
    return x;
}

Scalar scalar_from_json(const json& v) {
    if (v.is_boolean()) return Scalar(v.get<bool>());
    if (v.is_number_integer()) return Scalar(v.get<int64_t>());
    return Scalar(v.get<double>());
}

Tensor run_op(const std::string& op, const std::vector<Tensor>& args, const json& kwargs) {
    if (op == "mm") return mm(args.at(0), args.at(1));
    if (op == "bmm") return bmm(args.at(0), args.at(1));
    if (op == "matmul") return matmul(args.at(0), args.at(1));
    if (op == "dot") return dot(args.at(0), args.at(1));
    if (op == "mv") return mv(args.at(0), args.at(1));
    if (op == "outer") return outer(args.at(0), args.at(1));
    if (op == "addmm") {
        Scalar beta = kwargs.contains("beta") ? scalar_from_json(kwargs["beta"]) : Scalar(1);
        Scalar alpha = kwargs.contains("alpha") ? scalar_from_json(kwargs["alpha"]) : Scalar(1);
        return addmm(args.at(0), args.at(1), args.at(2), beta, alpha);
    }
    ADD_FAILURE() << "unknown op " << op;
    return {};
}

// Deterministic pseudo-random values in [-1, 1) (a linear congruential generator).
Tensor pseudo_random(IntArrayRef shape, DType dtype, uint64_t seed) {
    Tensor t = empty(shape, {.dtype = DType::Float64});
    double* p = t.data_ptr<double>();
    uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (int64_t i = 0; i < t.numel(); ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        p[i] = static_cast<double>(s >> 11) / 9007199254740992.0 * 2.0 - 1.0;
    }
    return t.to(dtype);
}

// Small integers in [-5, 5], exact in every dtype (and their products and sums, in floats).
Tensor small_integers(IntArrayRef shape, DType dtype, uint64_t seed) {
    return (pseudo_random(shape, DType::Float64, seed) * 5.5).round().to(dtype);
}

// Runs f with 1 and then 2 threads; the results must be bit-identical.
void expect_same_for_1_and_2_threads(const std::function<Tensor()>& f, const char* what) {
    int before = get_num_threads();
    set_num_threads(1);
    Tensor one = f();
    set_num_threads(2);
    Tensor two = f();
    set_num_threads(before);
    EXPECT_TRUE(test::tensors_equal(two, one)) << what;
}

}  // namespace

TEST(Linalg, GoldenCasesMatchPyTorch) {
    json g = test::load_golden("linalg");
    ASSERT_GT(g.at("cases").size(), 200u);
    for (const json& c : g.at("cases")) {
        const std::string name = c.at("name").get<std::string>();
        SCOPED_TRACE(name);
        std::vector<Tensor> args;
        for (const json& a : c.at("args"))
            args.push_back(apply_view(test::tensor_from_json(a.at("base")), a.at("view")));
        Tensor expected = test::tensor_from_json(c.at("expected"));
        Tensor result = run_op(c.at("op").get<std::string>(), args, c.at("kwargs"));
        if (name.rfind("rounding_", 0) == 0) {
            // Normal samples: BLAS and PyTorch may sum in different orders.
            if (expected.dtype() == float32)
                EXPECT_TENSOR_CLOSE(result, expected, 1e-5, 1e-6);
            else
                EXPECT_TENSOR_CLOSE(result, expected, 1e-12, 1e-14);
        } else {
            // Multiples of 1/8 and small integers: every product and sum is exact.
            EXPECT_TENSOR_EQ(result, expected);
        }
        EXPECT_TRUE(result.is_contiguous());
        EXPECT_FALSE(result.is_view());
    }
}

// As PyTorch's mm_mat1_backward / mm_mat2_backward: a column-major operand (a transposed view,
// as a Linear weight's weight.t()) gets a gradient in its own layout, so the weight's gradient
// is contiguous; the values are the plain formulas'.
TEST(Linalg, TransposedOperandsGetGradientsInTheirLayout) {
    manual_seed(2);
    const Tensor x0 = randn({5, 7}), w0 = randn({3, 7}), b0 = randn({3});
    for (const char* op : {"mm", "addmm", "matmul"}) {
        SCOPED_TRACE(op);
        Tensor w = w0.clone().requires_grad_();
        Tensor x = x0.t().contiguous().t().requires_grad_();  // column-major [5, 7]
        const std::string name = op;
        Tensor y = name == "mm"      ? mm(x, w.t())
                   : name == "addmm" ? addmm(b0, x, w.t())
                                     : matmul(x, w.t());
        const Tensor g = randn(y.sizes());
        y.backward(g);
        EXPECT_TRUE(w.grad().is_contiguous());
        EXPECT_EQ(x.grad().strides(), x.strides());
        EXPECT_TENSOR_CLOSE(w.grad(), g.t().mm(x0), 1e-6, 1e-6);
        EXPECT_TENSOR_CLOSE(x.grad(), g.mm(w0), 1e-6, 1e-6);
    }
}

TEST(Linalg, GoldenErrorsMatchPyTorch) {
    json g = test::load_golden("linalg");
    ASSERT_GT(g.at("errors").size(), 60u);
    for (const json& c : g.at("errors")) {
        const std::string name = c.at("name").get<std::string>();
        SCOPED_TRACE(name);
        std::vector<Tensor> args;
        for (const json& a : c.at("args")) {
            DType dtype = test::dtype_from_name(a.at("dtype").get<std::string>());
            args.push_back(ones(a.at("shape").get<std::vector<int64_t>>(), {.dtype = dtype}));
        }
        std::string message = c.at("message").get<std::string>();
        // PyTorch names its internal kernel ("addmm_impl_cpu_" not implemented for 'Bool');
        // ember names the op instead.
        if (size_t pos = message.find("not implemented for"); pos != std::string::npos)
            message = message.substr(pos);
        const std::string op = c.at("op").get<std::string>() + ":";
        EXPECT_EMBER_ERROR(run_op(c.at("op").get<std::string>(), args, c.at("kwargs")),
                           message.c_str(), op.c_str());
    }
}

TEST(Linalg, ErrorsNameTheOperands) {
    EXPECT_EMBER_ERROR(mm(ones({2, 3}), ones({4, 5})), "mm: mat1 and mat2 shapes cannot be "
                       "multiplied (2x3 and 4x5)", "[2, 3] float32", "[4, 5] float32");
    EXPECT_EMBER_ERROR(mm(ones({2, 3}), ones({3, 4}, {.dtype = float64})), "mm: expected scalar "
                       "type Float but found Double", "[3, 4] float64");
    EXPECT_EMBER_ERROR(matmul(ones({}), ones({2, 2})), "both arguments to matmul need to be at "
                       "least 1D, but they are 0D and 2D");
    EXPECT_EMBER_ERROR(bmm(ones({2, 2, 3}), ones({3, 3, 4})), "bmm: Expected size for first two "
                       "dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].");
    EXPECT_EMBER_ERROR(dot(ones({3}), ones({4})), "dot: inconsistent tensor size");
    EXPECT_EMBER_ERROR(matmul(ones({2, 2, 3}), ones({3, 3, 5})), "matmul", "The size of tensor a "
                       "(2) must match the size of tensor b (3) at non-singleton dimension 0");
    EXPECT_EMBER_ERROR(addmm(ones({3}), ones({2, 3}), ones({3, 4})), "addmm", "[3] float32",
                       "The expanded size of the tensor (4) must match the existing size (3)");
}

#ifndef EMBER_WITH_CUDA
TEST(Linalg, CpuOnlyBuildRefusesCudaOperands) {
    // Without CUDA no CUDA tensor can exist (its storage refuses), so a device mismatch cannot
    // reach the ops; the CUDA build runs DeviceMismatchIsAnError instead.
    EXPECT_EMBER_ERROR(empty({3, 4}, {.device = kCUDA}), "ember was built without CUDA");
    EXPECT_EMBER_ERROR(ones({3, 4}).to(kCUDA), "ember was built without CUDA");
}
#else
TEST(Linalg, DeviceMismatchIsAnError) {
    Tensor gpu = zeros({3, 4}, {.device = kCUDA});
    Tensor gpu_vec = zeros({3}, {.device = kCUDA});
    const char* same = "expected all tensors to be on the same device";
    EXPECT_EMBER_ERROR(mm(ones({2, 3}), gpu), "mm:", same, "cpu", "cuda");
    EXPECT_EMBER_ERROR(bmm(ones({1, 2, 3}), gpu.unsqueeze(0)), "bmm:", same);
    EXPECT_EMBER_ERROR(matmul(ones({2, 3}), gpu), "matmul:", same);
    EXPECT_EMBER_ERROR(addmm(ones({4}), ones({2, 3}), gpu), "addmm:", same);
    EXPECT_EMBER_ERROR(mv(ones({2, 3}), gpu_vec), "mv:", same);
    EXPECT_EMBER_ERROR(dot(ones({3}), gpu_vec), "dot:", same);
    EXPECT_EMBER_ERROR(outer(ones({3}), gpu_vec), "outer:", same);
}
#endif

TEST(Linalg, MethodsForwardToTheOps) {
    Tensor a = small_integers({3, 4}, float32, 1), b = small_integers({4, 2}, float32, 2);
    Tensor v = small_integers({4}, float32, 3);
    EXPECT_TENSOR_EQ(a.mm(b), mm(a, b));
    EXPECT_TENSOR_EQ(a.matmul(b), mm(a, b));
    EXPECT_TENSOR_EQ(a.unsqueeze(0).bmm(b.unsqueeze(0)), mm(a, b).unsqueeze(0));
    EXPECT_TENSOR_EQ(a.mv(v), mv(a, v));
    EXPECT_TENSOR_EQ(v.dot(v), dot(v, v));
}

TEST(Linalg, ResultsDoNotDependOnTheThreadCount) {
    for (DType dt : {float32, float64}) {
        Tensor a = pseudo_random({300, 257}, dt, 1), b = pseudo_random({257, 310}, dt, 2);
        expect_same_for_1_and_2_threads([&] { return mm(a, b); }, "mm");
        expect_same_for_1_and_2_threads([&] { return mm(b.t(), a.t()); }, "mm transposed");
        expect_same_for_1_and_2_threads([&] { return mv(a, b.select(1, 3)); }, "mv");
        expect_same_for_1_and_2_threads([&] { return mv(b.t(), a.select(0, 7)); }, "mv^T");
        expect_same_for_1_and_2_threads(
            [&] { return matmul(a.select(0, 0), b); }, "vector @ matrix");
        Tensor x = pseudo_random({100003}, dt, 3), y = pseudo_random({100003}, dt, 4);
        expect_same_for_1_and_2_threads([&] { return dot(x, y); }, "dot");
        Tensor s = pseudo_random({64, 5, 7}, dt, 5), t = pseudo_random({64, 7, 6}, dt, 6);
        expect_same_for_1_and_2_threads([&] { return bmm(s, t); }, "bmm of small matrices");
        Tensor big = pseudo_random({3, 200, 150}, dt, 7);
        expect_same_for_1_and_2_threads([&] { return matmul(big, b.narrow(0, 0, 150)); },
                                        "folded matmul");
    }
    Tensor i = small_integers({150, 130}, int64, 8), j = small_integers({130, 140}, int64, 9);
    expect_same_for_1_and_2_threads([&] { return mm(i, j); }, "int64 mm");
    Tensor h = small_integers({150, 130}, bfloat16, 10);
    Tensor k = small_integers({130, 140}, bfloat16, 11);
    expect_same_for_1_and_2_threads([&] { return mm(h, k); }, "bfloat16 mm");
}

TEST(Linalg, LargeProductsAgreeAcrossDtypes) {
    // Sizes that cross the row blocks of matrix-vector products and the column/depth blocks of
    // the C++ loop, with odd strides; small integers keep every dtype exact, so float32 (BLAS),
    // int64 and bfloat16 (the C++ loop; sums stay below 256) must all give float64's result.
    Tensor a64 = small_integers({2, 261, 300}, float64, 12).select(0, 1).narrow(1, 0, 299);
    Tensor b64 = small_integers({299, 140}, float64, 13).t().contiguous().t();
    Tensor v64 = small_integers({598}, float64, 14).as_strided({299}, {2});
    Tensor ref_mm = mm(a64, b64), ref_mv = mv(a64, v64), ref_vm = matmul(v64, b64);
    for (DType dt : {float32, int64, int32}) {
        SCOPED_TRACE(dtype_name(dt));
        Tensor a = a64.to(dt), b = b64.to(dt), v = v64.to(dt);
        EXPECT_TENSOR_EQ(mm(a, b), ref_mm.to(dt));
        EXPECT_TENSOR_EQ(mm(a.contiguous(), b.contiguous()), ref_mm.to(dt));
        EXPECT_TENSOR_EQ(mv(a, v), ref_mv.to(dt));
        EXPECT_TENSOR_EQ(matmul(v, b), ref_vm.to(dt));
    }
    Tensor x = small_integers({30001}, float64, 15), y = small_integers({30001}, float64, 16);
    EXPECT_EQ(dot(x, y).item<double>(), dot(x.to(int64), y.to(int64)).item<double>());
    EXPECT_EQ(dot(x.to(float32), y.to(float32)).item<double>(), dot(x, y).item<double>());
    // bfloat16 accumulates in float32: 600 products i/8 * k/2 (|i|, |k| <= 5) sum exactly, and
    // the result rounds once, as float64's does when converted.
    Tensor small_a = small_integers({70, 600}, float64, 17) * 0.125;
    Tensor small_b = (small_integers({600, 66}, float64, 18) * 0.5).narrow(1, 0, 65);
    EXPECT_TENSOR_EQ(mm(small_a.to(bfloat16), small_b.to(bfloat16)),
                     mm(small_a, small_b).to(bfloat16));
}

TEST(Linalg, ZeroSizedProducts) {
    EXPECT_TENSOR_EQ(mm(ones({3, 0}), ones({0, 4})), zeros({3, 4}));
    EXPECT_EQ(mm(ones({0, 3}), ones({3, 4})).sizes().vec(), (std::vector<int64_t>{0, 4}));
    EXPECT_EQ(matmul(ones({2, 0, 3}), ones({3, 4})).sizes().vec(),
              (std::vector<int64_t>{2, 0, 4}));
    EXPECT_EQ(matmul(ones({0, 3}), ones({3})).sizes().vec(), (std::vector<int64_t>{0}));
    EXPECT_TENSOR_EQ(dot(ones({0}, {.dtype = int64}), ones({0}, {.dtype = int64})),
                     zeros({}, {.dtype = int64}));
    // An empty contraction scales the input by beta, or ignores it (NaN too) when beta is 0.
    Tensor nan_input = full({2, 2}, NAN);
    EXPECT_TENSOR_EQ(addmm(nan_input, ones({2, 0}), ones({0, 2}), 0), zeros({2, 2}));
    EXPECT_TENSOR_EQ(addmm(ones({2}), ones({2, 0}), ones({0, 2}), 3), full({2, 2}, 3.));
}
