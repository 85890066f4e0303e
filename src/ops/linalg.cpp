// Matrix product op definitions: argument checks with PyTorch 1.13's messages, result shapes and
// matmul's dispatch over operand dims. The arithmetic is in src/cpu/blas_kernels.cpp, reached
// through one batched kernel (out = beta * out + alpha * a @ b) and a dot kernel. Every product
// records its gradient formula, itself written with products (double backward).
#include "ember/ops/linalg.h"

#include <tuple>

#include "autograd/function.h"

#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/util.h"

namespace ember {

namespace {

using detail::describe;

// ", mat1 [2, 3] float32 cpu, mat2 [3, 4] float64 cpu": the operands, for the end of a message.
std::string operands(const char* name_a, const Tensor& a, const char* name_b, const Tensor& b) {
    return detail::str_cat(" (", name_a, ": ", describe(a), ", ", name_b, ": ", describe(b), ")");
}

// The kernel runs in the dtype of the first operand, as PyTorch's does: that dtype must be one
// the CPU implements (PyTorch 1.13 has no bool or float16 products on the CPU), and the second
// operand must have it too (PyTorch reads it as that type and says so).
void check_dtypes(const char* op, const char* name_a, const Tensor& a, const char* name_b,
                  const Tensor& b) {
    DType t = a.dtype();
    EMBER_CHECK(t != DType::Bool && t != DType::Float16, op, ": not implemented for '",
                dtype_short_name(t), "'", operands(name_a, a, name_b, b));
    EMBER_CHECK(b.dtype() == t, op, ": expected scalar type ", dtype_short_name(t),
                " but found ", dtype_short_name(b.dtype()), operands(name_a, a, name_b, b));
}

// Runs the kernel into `out` (contiguous, [..., M, N]); a [..., M, K] and b [..., K, N] have
// out's batch dims (expanded where they broadcast).
void run_matmul(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& beta = 0,
                const Scalar& alpha = 1) {
    if (out.numel() > 0) detail::kernels(out.device()).matmul(out, a, b, beta, alpha);
}

Tensor new_result(IntArrayRef shape, const Tensor& like) {
    return empty(shape, {.dtype = like.dtype(), .device = like.device()});
}

DimVector concat(IntArrayRef a, IntArrayRef b) {
    DimVector r(a.begin(), a.end());
    for (int64_t v : b) r.push_back(v);
    return r;
}

Tensor mm_impl(const char* op, const Tensor& a, const Tensor& b) {
    detail::check_same_device(op, {&a, &b});
    EMBER_CHECK(a.dim() == 2, op, ": self must be a matrix, got ", describe(a));
    EMBER_CHECK(b.dim() == 2, op, ": mat2 must be a matrix, got ", describe(b));
    EMBER_CHECK(a.size(1) == b.size(0), op, ": mat1 and mat2 shapes cannot be multiplied (",
                a.size(0), "x", a.size(1), " and ", b.size(0), "x", b.size(1), ")",
                operands("mat1", a, "mat2", b));
    check_dtypes(op, "mat1", a, "mat2", b);
    Tensor out = new_result({a.size(0), b.size(1)}, a);
    run_matmul(out, a, b);
    return out;
}

// mat [M, K] @ vec [K] into a new [M].
Tensor mv_impl(const char* op, const Tensor& mat, const Tensor& vec) {
    detail::check_same_device(op, {&mat, &vec});
    EMBER_CHECK(mat.dim() == 2 && vec.dim() == 1, op, ": vector + matrix @ vector expected, got "
                "1, ", mat.dim(), ", ", vec.dim(), operands("mat", mat, "vec", vec));
    EMBER_CHECK(mat.size(1) == vec.size(0), op, ": size mismatch, got ", mat.size(0), ", ",
                mat.size(0), "x", mat.size(1), ",", vec.size(0), operands("mat", mat, "vec", vec));
    check_dtypes(op, "mat", mat, "vec", vec);
    Tensor out = new_result({mat.size(0)}, mat);
    run_matmul(out.view({mat.size(0), 1}), mat, vec.view({vec.size(0), 1}));
    return out;
}

Tensor dot_impl(const char* op, const Tensor& a, const Tensor& b) {
    detail::check_same_device(op, {&a, &b});
    EMBER_CHECK(a.dim() == 1 && b.dim() == 1, op, ": 1D tensors expected, but got ", a.dim(),
                "D and ", b.dim(), "D tensors", operands("self", a, "other", b));
    EMBER_CHECK(a.dtype() == b.dtype(), op, ": dot : expected both vectors to have same dtype, "
                "but found ", dtype_short_name(a.dtype()), " and ", dtype_short_name(b.dtype()),
                operands("self", a, "other", b));
    EMBER_CHECK(a.numel() == b.numel(), op, ": inconsistent tensor size, expected tensor [",
                a.numel(), "] and src [", b.numel(), "] to have the same number of elements, but "
                "got ", a.numel(), " and ", b.numel(), " elements respectively",
                operands("self", a, "other", b));
    check_dtypes(op, "self", a, "other", b);
    Tensor out = new_result({}, a);
    detail::kernels(out.device()).dot(out, a, b);
    return out;
}

// Whether t [..., K] can be viewed as [prod(...), K] without a copy: its leading dims nest.
bool leading_dims_merge(const Tensor& t) {
    int64_t expected = -1;  // the stride the next outer dim needs; -1: anything
    for (int64_t d = t.dim() - 2; d >= 0; --d) {
        if (t.size(d) == 1) continue;
        if (expected != -1 && t.stride(d) != expected) return false;
        expected = t.stride(d) * t.size(d);
    }
    return true;
}

// PyTorch 1.13's should_fold: a 3-D+ operand times a 1-D/2-D one becomes one mm/mv over the
// folded batch, except a 3-D operand whose last two dims are transposed under a contiguous
// batch dim (folding it would copy; bmm reads each matrix transposed instead).
bool should_fold(const Tensor& t, int64_t other_dim) {
    if (t.dim() < 3 || (other_dim != 1 && other_dim != 2)) return false;
    return !(t.dim() == 3 && other_dim == 2 && t.stride(2) != 1 &&
             t.stride(0) == t.size(1) * t.size(2));
}

// a [..., n, m1] @ b [..., m2, p] with broadcast batch dims (a 1-D operand counts as a row or a
// column, and its dim is dropped from the result). Checks and messages follow PyTorch's bmm on
// the flattened batch; broadcast operands are read in place (stride 0), never copied.
Tensor batched_matmul(const char* op, const Tensor& a, const Tensor& b) {
    const int64_t da = a.dim(), db = b.dim();
    const int64_t n = da > 1 ? a.size(-2) : 1, m1 = a.size(-1);
    const int64_t m2 = db > 1 ? b.size(-2) : b.size(0), p = db > 1 ? b.size(-1) : 1;
    IntArrayRef batch_a(a.sizes().data(), static_cast<size_t>(std::max<int64_t>(da - 2, 0)));
    IntArrayRef batch_b(b.sizes().data(), static_cast<size_t>(std::max<int64_t>(db - 2, 0)));
    DimVector batch = broadcast_shapes(batch_a, batch_b, op);
    const int64_t batch_count = prod(batch);
    EMBER_CHECK(m1 == m2, op, ": Expected size for first two dimensions of batch2 tensor to be: [",
                batch_count, ", ", m1, "] but got: [", batch_count, ", ", m2, "].",
                operands("batch1", a, "batch2", b));
    check_dtypes(op, "batch1", a, "batch2", b);
    Tensor a3 = (da > 1 ? a : a.view({1, m1})).expand(concat(batch, {n, m1}));
    Tensor b3 = (db > 1 ? b : b.view({m2, 1})).expand(concat(batch, {m2, p}));
    DimVector shape = batch;
    if (da > 1) shape.push_back(n);
    if (db > 1) shape.push_back(p);
    Tensor out = new_result(shape, a);
    run_matmul(out.view(concat(batch, {n, p})), a3, b3);
    return out;
}

// tensor1 [..., n, m] (3-D+) @ tensor2 [m] or [m, p], as PyTorch's folded mv/mm: one product
// over the folded batch when the batch dims nest, else a batched product with tensor2
// broadcast (no copy of tensor1 either way).
Tensor folded_matmul(const char* op, const Tensor& t1, const Tensor& t2) {
    const int64_t m1 = t1.size(-1);
    DimVector lead(t1.sizes().begin(), t1.sizes().end() - 1);
    const int64_t folded_rows = prod(lead);
    const bool t2_matrix = t2.dim() == 2;
    if (t2_matrix) {
        EMBER_CHECK(m1 == t2.size(0), op, ": mat1 and mat2 shapes cannot be multiplied (",
                    folded_rows, "x", m1, " and ", t2.size(0), "x", t2.size(1), ")",
                    operands("self", t1, "other", t2));
    } else {
        EMBER_CHECK(m1 == t2.size(0), op, ": size mismatch, got ", folded_rows, ", ", folded_rows,
                    "x", m1, ",", t2.size(0), operands("self", t1, "other", t2));
    }
    check_dtypes(op, "self", t1, "other", t2);
    const int64_t p = t2_matrix ? t2.size(1) : 1;
    DimVector shape = lead;
    if (t2_matrix) shape.push_back(p);
    Tensor out = new_result(shape, t1);
    Tensor b = t2_matrix ? t2 : t2.view({m1, 1});
    if (leading_dims_merge(t1)) {
        run_matmul(out.view({folded_rows, p}), t1.reshape({folded_rows, m1}), b);
    } else {
        DimVector batch(lead.begin(), lead.end() - 1);
        run_matmul(out.view(concat(lead, {p})), t1, b.expand(concat(batch, {m1, p})));
    }
    return out;
}

// tensor1 [m] or [n, m] @ tensor2 [..., m, p] (3-D+), as PyTorch's transposed fold (its checks
// and messages name tensor2 first), computed as a batched product with tensor1 broadcast.
Tensor folded_matmul_transposed(const char* op, const Tensor& t1, const Tensor& t2) {
    const int64_t m2 = t2.size(-2), p = t2.size(-1);
    DimVector batch(t2.sizes().begin(), t2.sizes().end() - 2);
    const int64_t folded_rows = prod(batch) * p;
    const bool t1_matrix = t1.dim() == 2;
    const int64_t m1 = t1.size(-1), n = t1_matrix ? t1.size(0) : 1;
    if (t1_matrix) {
        EMBER_CHECK(m2 == m1, op, ": mat1 and mat2 shapes cannot be multiplied (", folded_rows,
                    "x", m2, " and ", m1, "x", n, ")", operands("self", t1, "other", t2));
    } else {
        EMBER_CHECK(m2 == m1, op, ": size mismatch, got ", folded_rows, ", ", folded_rows, "x", m2,
                    ",", m1, operands("self", t1, "other", t2));
    }
    check_dtypes(op, "other", t2, "self", t1);
    DimVector shape = batch;
    if (t1_matrix) shape.push_back(n);
    shape.push_back(p);
    Tensor out = new_result(shape, t2);
    Tensor a = (t1_matrix ? t1 : t1.view({1, m1})).expand(concat(batch, {n, m1}));
    run_matmul(out.view(concat(batch, {n, p})), a, t2);
    return out;
}

Tensor bmm_impl(const Tensor& batch1, const Tensor& batch2) {
    detail::check_same_device("bmm", {&batch1, &batch2});
    EMBER_CHECK(batch1.dim() == 3, "bmm: batch1 must be a 3D tensor, got ", describe(batch1));
    EMBER_CHECK(batch2.dim() == 3, "bmm: batch2 must be a 3D tensor, got ", describe(batch2));
    const int64_t bs = batch1.size(0), k = batch1.size(2);
    EMBER_CHECK(batch2.size(0) == bs && batch2.size(1) == k,
                "bmm: Expected size for first two dimensions of batch2 tensor to be: [", bs, ", ",
                k, "] but got: [", batch2.size(0), ", ", batch2.size(1), "].",
                operands("batch1", batch1, "batch2", batch2));
    check_dtypes("bmm", "batch1", batch1, "batch2", batch2);
    Tensor out = new_result({bs, batch1.size(1), batch2.size(2)}, batch1);
    run_matmul(out, batch1, batch2);
    return out;
}

// torch.matmul's dispatch; also gives the grad_fn name PyTorch's graph has on top for the case
// (its matmul is a composite of mm/mv/bmm and views).
std::pair<Tensor, const char*> matmul_impl(const Tensor& a, const Tensor& b) {
    const char* op = "matmul";
    detail::check_same_device(op, {&a, &b});
    const int64_t da = a.dim(), db = b.dim();
    EMBER_CHECK(da > 0 && db > 0, "matmul: both arguments to matmul need to be at least 1D, but "
                "they are ", da, "D and ", db, "D", operands("self", a, "other", b));
    if (da == 1 && db == 1) return {dot_impl(op, a, b), "DotBackward0"};
    if (da == 2 && db == 1) return {mv_impl(op, a, b), "MvBackward0"};
    if (da == 1 && db == 2) {
        EMBER_CHECK(a.size(0) == b.size(0), op, ": mat1 and mat2 shapes cannot be multiplied (1x",
                    a.size(0), " and ", b.size(0), "x", b.size(1), ")",
                    operands("self", a, "other", b));
        check_dtypes(op, "self", a, "other", b);
        Tensor out = new_result({b.size(1)}, a);
        run_matmul(out.view({1, b.size(1)}), a.view({1, a.size(0)}), b);
        return {out, "SqueezeBackward3"};
    }
    if (da == 2 && db == 2) return {mm_impl(op, a, b), "MmBackward0"};
    if (should_fold(a, db)) return {folded_matmul(op, a, b), "UnsafeViewBackward0"};
    if (should_fold(b, da))  // PyTorch transposes a 2-D a's result back and copies it
        return {folded_matmul_transposed(op, a, b),
                da == 2 ? "CloneBackward0" : "UnsafeViewBackward0"};
    return {batched_matmul(op, a, b), "UnsafeViewBackward0"};
}

Tensor addmm_impl(const Tensor& input, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
             const Scalar& alpha) {
    const char* op = "addmm";
    detail::check_same_device(op, {&input, &mat1, &mat2});
    EMBER_CHECK(input.dtype() == mat2.dtype(), "addmm: self and mat2 must have the same dtype",
                " (self: ", describe(input), ", mat2: ", describe(mat2), ")");
    EMBER_CHECK(mat1.dtype() == mat2.dtype(), "addmm: mat1 and mat2 must have the same dtype",
                operands("mat1", mat1, "mat2", mat2));
    EMBER_CHECK(mat1.dim() == 2, "addmm: mat1 must be a matrix, got ", mat1.dim(), "-D tensor (",
                describe(mat1), ")");
    EMBER_CHECK(mat2.dim() == 2, "addmm: mat2 must be a matrix, got ", mat2.dim(), "-D tensor (",
                describe(mat2), ")");
    EMBER_CHECK(mat1.size(1) == mat2.size(0), "addmm: mat1 and mat2 shapes cannot be multiplied (",
                mat1.size(0), "x", mat1.size(1), " and ", mat2.size(0), "x", mat2.size(1), ")",
                operands("mat1", mat1, "mat2", mat2));
    const int64_t M = mat1.size(0), N = mat2.size(1);
    Tensor expanded;
    try {
        expanded = input.expand({M, N});
    } catch (const Error& e) {
        EMBER_ERROR("addmm: the input ", describe(input), " does not broadcast to the result's "
                    "shape [", M, ", ", N, "]: ", e.what());
    }
    check_dtypes(op, "mat1", mat1, "mat2", mat2);
    Tensor out = new_result({M, N}, mat1);
    // beta == 0 ignores the input (NaN included): the kernel then never reads out.
    if (beta.to_double() != 0) {
        NoGradGuard no_grad;  // part of the forward: addmm records its own node
        out.copy_(expanded);
    }
    run_matmul(out, mat1, mat2, beta, alpha);
    return out;
}

// The gradient formulas below are written with the public products (so they record under
// create_graph: double backward); the forwards run the kernels without recording.

// The gradients of mat1 and mat2 in mat1 @ mat2, as PyTorch's mm_mat1_backward and
// mm_mat2_backward: an operand stored column-major (a transposed view, such as a Linear layer's
// weight.t()) gets its gradient computed transposed, so that it comes out in that operand's
// layout: a weight's gradient is then contiguous like the weight, and optimizers and gradient
// accumulation need no copy.
bool column_major(const Tensor& m) {
    return m.dim() == 2 && m.stride(0) == 1 && m.stride(1) == m.size(0);
}
Tensor mm_mat1_grad(const Tensor& g, const Tensor& mat1, const Tensor& mat2) {
    return column_major(mat1) ? mat2.mm(g.t()).t() : g.mm(mat2.t());
}
Tensor mm_mat2_grad(const Tensor& g, const Tensor& mat1, const Tensor& mat2) {
    return column_major(mat2) ? g.t().mm(mat1).t() : mat1.t().mm(g);
}

// a [.., n, m] @ b [.., m, p] (a 1-D a as a row, a 1-D b as a column, their dim dropped from
// the result) with broadcast batch dims: grad_a = g @ b^T, grad_b = a^T @ g, summed over
// broadcast batch dims by the engine.
TensorList matmul_backward(autograd::BackwardContext& ctx) {
    const Tensor a = ctx.saved(0), b = ctx.saved(1);
    Tensor g = ctx.grad();
    const bool a_vec = a.dim() == 1, b_vec = b.dim() == 1;
    if (a_vec) g = g.unsqueeze(g.dim() - (b_vec ? 0 : 1));
    if (b_vec) g = g.unsqueeze(-1);
    Tensor a2 = a_vec ? a.unsqueeze(0) : a, b2 = b_vec ? b.unsqueeze(1) : b;
    Tensor grad_a, grad_b;
    const bool matrices = a2.dim() == 2 && b2.dim() == 2;
    if (ctx.needs(0)) {
        grad_a = matrices ? mm_mat1_grad(g, a2, b2) : matmul(g, b2.transpose(-1, -2));
        if (a_vec) grad_a = grad_a.squeeze(-2);
    }
    if (ctx.needs(1)) {
        grad_b = matrices ? mm_mat2_grad(g, a2, b2) : matmul(a2.transpose(-1, -2), g);
        if (b_vec) grad_b = grad_b.squeeze(-1);
    }
    return {grad_a, grad_b};
}

}  // namespace

Tensor mm(const Tensor& mat1, const Tensor& mat2) {
    Tensor out = mm_impl("mm", mat1, mat2);
    if (autograd::needs_grad(mat1, mat2))
        autograd::record("MmBackward0", {mat1, mat2}, {out}, {mat1, mat2},
                         [](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             const Tensor a = ctx.saved(0), b = ctx.saved(1);
                             return TensorList{ctx.needs(0) ? mm_mat1_grad(g, a, b) : Tensor(),
                                               ctx.needs(1) ? mm_mat2_grad(g, a, b) : Tensor()};
                         });
    return out;
}

Tensor bmm(const Tensor& batch1, const Tensor& batch2) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = bmm_impl(batch1, batch2);
    }
    if (autograd::needs_grad(batch1, batch2))
        autograd::record("BmmBackward0", {batch1, batch2}, {out}, {batch1, batch2},
                         [](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             return TensorList{
                                 ctx.needs(0) ? g.bmm(ctx.saved(1).transpose(1, 2)) : Tensor(),
                                 ctx.needs(1) ? ctx.saved(0).transpose(1, 2).bmm(g) : Tensor()};
                         });
    return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
    Tensor out;
    const char* name;
    {
        NoGradGuard no_grad;
        std::tie(out, name) = matmul_impl(a, b);
    }
    if (autograd::needs_grad(a, b))
        autograd::record(name, {a, b}, {out}, {a, b}, matmul_backward);
    return out;
}

Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
             const Scalar& alpha) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = addmm_impl(input, mat1, mat2, beta, alpha);
    }
    if (autograd::needs_grad(input, mat1, mat2)) {
        // PyTorch's maybe_multiply: a factor of 1 is skipped, so the gradient stays exact.
        auto scaled = [](const Tensor& t, const Scalar& s) {
            return s.to_double() == 1 ? t : t * s;
        };
        autograd::record("AddmmBackward0", {input, mat1, mat2}, {out}, {mat1, mat2},
                         [beta, alpha, scaled](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             const Tensor a = ctx.saved(0), b = ctx.saved(1);
                             return TensorList{
                                 ctx.needs(0) ? scaled(g, beta) : Tensor(),
                                 ctx.needs(1) ? scaled(mm_mat1_grad(g, a, b), alpha) : Tensor(),
                                 ctx.needs(2) ? scaled(mm_mat2_grad(g, a, b), alpha) : Tensor()};
                         });
    }
    return out;
}

Tensor dot(const Tensor& a, const Tensor& b) {
    Tensor out = dot_impl("dot", a, b);
    if (autograd::needs_grad(a, b))
        autograd::record("DotBackward0", {a, b}, {out}, {a, b}, [](autograd::BackwardContext& ctx) {
            const Tensor& g = ctx.grad();
            return TensorList{ctx.needs(0) ? g * ctx.saved(1) : Tensor(),
                              ctx.needs(1) ? g * ctx.saved(0) : Tensor()};
        });
    return out;
}

Tensor mv(const Tensor& mat, const Tensor& vec) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = mv_impl("mv", mat, vec);
    }
    if (autograd::needs_grad(mat, vec))
        autograd::record("MvBackward0", {mat, vec}, {out}, {mat, vec},
                         [](autograd::BackwardContext& ctx) {
                             const Tensor& g = ctx.grad();
                             return TensorList{
                                 ctx.needs(0) ? outer(g, ctx.saved(1)) : Tensor(),
                                 ctx.needs(1) ? ctx.saved(0).t().mv(g) : Tensor()};
                         });
    return out;
}

Tensor outer(const Tensor& a, const Tensor& b) {
    detail::check_same_device("outer", {&a, &b});
    EMBER_CHECK(a.dim() == 1, "outer: Expected 1-D argument self, but got ", a.dim(), "-D (",
                describe(a), ")");
    EMBER_CHECK(b.dim() == 1, "outer: Expected 1-D argument vec2, but got ", b.dim(), "-D (",
                describe(b), ")");
    return mul(a.view({a.size(0), 1}), b);
}

Tensor Tensor::matmul(const Tensor& o) const { return ember::matmul(*this, o); }
Tensor Tensor::mm(const Tensor& o) const { return ember::mm(*this, o); }
Tensor Tensor::bmm(const Tensor& o) const { return ember::bmm(*this, o); }
Tensor Tensor::mv(const Tensor& v) const { return ember::mv(*this, v); }
Tensor Tensor::dot(const Tensor& o) const { return ember::dot(*this, o); }

}  // namespace ember
