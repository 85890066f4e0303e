// Reductions: sum, mean, prod, max/min, amax/amin, argmax/argmin, var/std, norm, logsumexp,
// all/any, and the scans cumsum/cumprod, plus softmax and log_softmax.
//
// `dims` empty means all dims. Integer and bool inputs sum (and prod) to int64, as in PyTorch;
// mean/var/std need a floating input. Results do not depend on the number of threads.
#pragma once

#include <optional>
#include <utility>

#include "ember/core/tensor.h"

namespace ember {

Tensor sum(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false,
           std::optional<DType> dtype = std::nullopt);
Tensor mean(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false,
            std::optional<DType> dtype = std::nullopt);
Tensor prod(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
            std::optional<DType> dtype = std::nullopt);
Tensor amax(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor amin(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
// max/min over everything (a 0-dim tensor) or over one dim (values and int64 indices; the
// index of the first occurrence, NaN counting as the maximum).
Tensor max(const Tensor& a);
std::pair<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor min(const Tensor& a);
std::pair<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
// Variance over `dims` (empty: all dims, as PyTorch's dim=None or dim=()), divided by
// max(0, N - correction): 1 is Bessel's (unbiased) estimate, 0 the population variance; N <=
// correction gives inf (or NaN for a zero sum of squares), an empty reduction NaN. Floating
// inputs only. (dims is a plain IntArrayRef, not an optional: `x.var({0, 1})` must compile and
// `x.var({0})` must not keep a pointer to a dead temporary.)
Tensor var(const Tensor& a, IntArrayRef dims = {}, int64_t correction = 1, bool keepdim = false);
Tensor std(const Tensor& a, IntArrayRef dims = {}, int64_t correction = 1, bool keepdim = false);
// p-norm over `dims` (empty: all) as torch.norm: p = 2 by default; inf and -inf give max/min of
// |x|; 0 counts nonzeros; other p (negative too) give sum(|x|^p)^(1/p). An empty reduction gives
// 0 for every p. Floating inputs only.
Tensor norm(const Tensor& a, const Scalar& p = 2, IntArrayRef dims = {}, bool keepdim = false);
// log(sum(exp(x))) over `dims` (empty: all), computed stably; integer input gives float32.
Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim = false);
Tensor all(const Tensor& a);
Tensor all(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& a);
Tensor any(const Tensor& a, int64_t dim, bool keepdim = false);
// Inclusive scans; the input is converted to dtype first (default: int64 for integer and bool
// inputs, else the input's dtype).
Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
// Along `dim`, stable (the max is subtracted). The input is converted to dtype first; the
// computation dtype must be floating (an integer input needs a floating dtype argument).
// float16/bfloat16 compute in float32.
Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);

}  // namespace ember
