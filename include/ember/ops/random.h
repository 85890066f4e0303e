// Random factories (rand, randn, randint, randperm, normal, bernoulli and the *_like forms).
//
// Every op draws from `gen`, or from the default generator (ember::manual_seed) when none is
// given, and gives bit for bit the values PyTorch 1.13 gives on the CPU for the same seed. The
// elements are produced one after another in the output's storage order, on one thread, so
// the values never depend on the number of threads. The in-place forms are Tensor methods:
// uniform_, normal_, bernoulli_, random_.
#pragma once

#include <optional>

#include "ember/core/generator.h"
#include "ember/core/tensor.h"
#include "ember/core/tensor_options.h"

namespace ember {

// Uniform on [0, 1) (float32 unless options say otherwise; floating dtypes only).
Tensor rand(IntArrayRef sizes, TensorOptions options = {},
            std::optional<Generator> gen = std::nullopt);
// Standard normal (floating dtypes only).
Tensor randn(IntArrayRef sizes, TensorOptions options = {},
             std::optional<Generator> gen = std::nullopt);
// Integers uniform on [low, high) (int64 unless options say otherwise); randint(high, ...) is
// randint(0, high, ...).
Tensor randint(int64_t high, IntArrayRef sizes, TensorOptions options = {},
               std::optional<Generator> gen = std::nullopt);
Tensor randint(int64_t low, int64_t high, IntArrayRef sizes, TensorOptions options = {},
               std::optional<Generator> gen = std::nullopt);
// A random permutation of 0..n-1 (int64 unless options say otherwise).
Tensor randperm(int64_t n, TensorOptions options = {}, std::optional<Generator> gen = std::nullopt);
// Normal with the given mean and standard deviation (std >= 0).
Tensor normal(double mean, double std, IntArrayRef sizes, TensorOptions options = {},
              std::optional<Generator> gen = std::nullopt);

// 0/1 draws with probabilities p (a floating tensor with values in [0, 1]); the result has
// p's shape, dtype and layout.
Tensor bernoulli(const Tensor& p, std::optional<Generator> gen = std::nullopt);
// 0/1 draws with probability p, shaped and typed like x (torch.bernoulli(x, p)).
Tensor bernoulli(const Tensor& x, double p, std::optional<Generator> gen = std::nullopt);

// Shape, dtype and device from `like` unless options set them.
Tensor rand_like(const Tensor& like, TensorOptions options = {},
                 std::optional<Generator> gen = std::nullopt);
Tensor randn_like(const Tensor& like, TensorOptions options = {},
                  std::optional<Generator> gen = std::nullopt);
Tensor randint_like(const Tensor& like, int64_t high, TensorOptions options = {},
                    std::optional<Generator> gen = std::nullopt);
Tensor randint_like(const Tensor& like, int64_t low, int64_t high, TensorOptions options = {},
                    std::optional<Generator> gen = std::nullopt);

}  // namespace ember
