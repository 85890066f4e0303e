// Matrix products: mm, bmm, matmul, addmm, dot, mv, outer, with PyTorch's shapes, dtypes and
// error messages.
//
// All operands must share one dtype (no promotion, as in PyTorch; outer is the exception: it is
// an elementwise product and promotes). float32/float64 run through BLAS, reading transposed
// and strided operands in place; integers and bfloat16 run a C++ loop (integers wrap around in
// their own type, bfloat16 accumulates in float32). bool and float16 are not implemented, as in
// PyTorch 1.13 on the CPU. Results are contiguous and do not depend on the number of threads.
#pragma once

#include "ember/core/tensor.h"

namespace ember {

// [n, k] @ [k, m] -> [n, m].
Tensor mm(const Tensor& mat1, const Tensor& mat2);

// [b, n, k] @ [b, k, m] -> [b, n, m].
Tensor bmm(const Tensor& batch1, const Tensor& batch2);

// torch.matmul: 1-D @ 1-D is dot, 2-D @ 1-D is mv, 1-D @ 2-D and 2-D @ 2-D are mm (a 1-D
// operand counts as a row or a column and its dim is removed from the result), and anything
// with 3 or more dims is a batched product whose batch dims broadcast. A 3-D+ @ 1-D/2-D
// product is folded into a single mm, as PyTorch does.
Tensor matmul(const Tensor& a, const Tensor& b);

// beta * input + alpha * (mat1 @ mat2), with input broadcast to [n, m]. beta == 0 ignores
// input (NaN included). Integer dtypes truncate beta and alpha to integers, as PyTorch does.
Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
             const Scalar& alpha = 1);

// Inner product of two 1-D tensors of the same size: a 0-dim tensor.
Tensor dot(const Tensor& a, const Tensor& b);

// [n, m] @ [m] -> [n].
Tensor mv(const Tensor& mat, const Tensor& vec);

// Outer product of two 1-D tensors: [n] x [m] -> [n, m] (promotes dtypes, as a * b).
Tensor outer(const Tensor& a, const Tensor& b);

}  // namespace ember
