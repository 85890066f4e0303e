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
// correction: 1 is Bessel's (unbiased) estimate, 0 the population variance.
Tensor var(const Tensor& a, std::optional<IntArrayRef> dims = std::nullopt, int64_t correction = 1,
           bool keepdim = false);
Tensor std(const Tensor& a, std::optional<IntArrayRef> dims = std::nullopt, int64_t correction = 1,
           bool keepdim = false);
// p-norm (p = 2 by default; inf and -inf give max/min of |x|; 0 counts nonzeros).
Tensor norm(const Tensor& a, const Scalar& p = 2, std::optional<IntArrayRef> dims = std::nullopt,
            bool keepdim = false);
Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim = false);
Tensor all(const Tensor& a);
Tensor all(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& a);
Tensor any(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype = std::nullopt);

}  // namespace ember
