// Random ops: argument checks with PyTorch's rules and messages, then the serial CPU kernels
// (src/cpu/random_kernels.cpp) under the generator's lock.
#include "ember/ops/random.h"

#include <cmath>
#include <limits>
#include <mutex>
#include <string_view>

#include "autograd/function.h"
#include "cpu/loops.h"
#include "ember/ops/factory.h"
#include "ops/dispatch.h"
#include "ops/tensor_iterator.h"
#include "ops/util.h"

namespace ember {

using detail::describe;
using detail::TensorIterator;

namespace {

Generator generator_or_default(const std::optional<Generator>& gen) {
    return gen ? *gen : default_generator();
}

// PyTorch's dispatch error, with what ember expected: `"normal_kernel_cpu" not implemented for
// 'Long'`.
[[noreturn]] void not_implemented(const char* op, const char* kernel, const Tensor& t,
                                  const char* expected) {
    EMBER_ERROR(op, ": \"", kernel, "\" not implemented for '", dtype_short_name(t.dtype()),
                "' (", op, " needs ", expected, ", got ", describe(t), ")");
}

void check_floating(const Tensor& t, const char* op, const char* kernel) {
    if (!t.is_floating_point()) not_implemented(op, kernel, t, "a floating-point tensor");
}

// Runs `kernel(iterator, generator state)` on self (and the extra input, if defined) with the
// generator locked for the whole op. Non-CPU tensors are filled through a CPU tensor of the
// same layout: the values always come from the CPU generator's stream.
// The grad_fn of a tensor in the graph overwritten by a random in-place op: the new values do
// not depend on the old ones, so the old history gets a zero gradient.
const char* random_backward_name(std::string_view op) {
    if (op == "uniform_") return "UniformBackward0";
    if (op == "normal_") return "NormalBackward0";
    if (op == "bernoulli_") return "BernoulliBackward0";
    return "RandomBackward0";
}

template <class Kernel>
Tensor& fill_random(Tensor& self, const char* op, const std::optional<Generator>& gen,
                    const Kernel& kernel, const Tensor& input = Tensor()) {
    autograd::check_inplace(self, op);  // a leaf that requires grad is filled under NoGradGuard
    if (self.numel() == 0) return self;
    detail::check_no_internal_overlap(self, op);  // one draw per element
    // A tensor in the graph is filled through a new tensor of its layout, which then takes its
    // place in the graph (as every in-place op does); non-CPU tensors are filled through a CPU
    // tensor of their layout.
    const bool record = autograd::needs_grad(self);
    Tensor target = self.is_cpu() && !record
                        ? self
                        : empty_strided(self.sizes(), self.strides(), {.dtype = self.dtype()});
    TensorIterator it;
    it.add_output(target);
    if (input.defined()) it.add_input(input);
    it.build({.op = op, .allow_mixed_dtypes = true, .check_safe_cast = false,
              .check_mem_overlap = false});  // checked above
    Generator g = generator_or_default(gen);
    {
        std::lock_guard<std::mutex> lock(g.impl()->mutex);
        kernel(it, *g.impl());
    }
    if (record) {
        return autograd::inplace_op(
            self, op, true,
            [&] {
                return autograd::record_unary(random_backward_name(op), self,
                                              target.to(self.device()),
                                              [](const Tensor& grad) { return zeros_like(grad); });
            },
            [] {});
    }
    if (!target.is_same(self)) self.copy_(target);
    self.storage()->bump_version();
    return self;
}

const detail::Kernels& cpu_kernels() { return detail::kernels(kCPU); }

// std::numeric_limits<T>::lowest() and max() of a dtype, as doubles.
std::pair<double, double> dtype_limits(DType dtype) {
    return detail::visit_dtype(dtype, [](auto tag) -> std::pair<double, double> {
        using T = typename decltype(tag)::type;
        constexpr double bfloat16_max = 3.3895313892515355e38;  // (2 - 2^-7) * 2^127
        if constexpr (std::is_same_v<T, Half>) return {-65504.0, 65504.0};
        else if constexpr (std::is_same_v<T, BFloat16>) return {-bfloat16_max, bfloat16_max};
        else return {static_cast<double>(std::numeric_limits<T>::lowest()),
                     static_cast<double>(std::numeric_limits<T>::max())};
    });
}

int float_digits(DType dtype) {
    switch (dtype) {
        case DType::Float16: return 11;
        case DType::BFloat16: return 8;
        case DType::Float32: return 24;
        default: return 53;
    }
}

// v rounded to the floating dtype and converted back to int64 as x86's cvtt does (values out
// of the int64 range give INT64_MIN), which is what PyTorch's update_from/update_to compute.
int64_t round_trip(int64_t v, DType dtype) {
    double r = static_cast<double>(v);
    switch (dtype) {
        case DType::Float16: r = static_cast<float>(Half(static_cast<float>(v))); break;
        case DType::BFloat16: r = static_cast<float>(BFloat16(static_cast<float>(v))); break;
        case DType::Float32: r = static_cast<float>(v); break;
        default: break;
    }
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(r);
}

int64_t highest_bit(int64_t v) {
    int n = 0;
    while (v >>= 1) ++n;
    return n;
}

// PyTorch's update_from / update_to: move bounds that the dtype cannot hold inward to the
// nearest values it can.
int64_t update_from(int64_t from, DType dtype) {
    const int64_t from_plus_1 = round_trip(from + 1, dtype);
    if (from_plus_1 < from) {
        const int64_t n = highest_bit(std::abs(from + 1));
        from = from_plus_1 + (int64_t{1} << (n - float_digits(dtype) + 1));
    }
    return from;
}
int64_t update_to(int64_t to, DType dtype) {
    const int64_t to_minus_1 = round_trip(to - 1, dtype);
    if (to_minus_1 >= to) {
        const int64_t n = highest_bit(std::abs(to - 1));
        to = to_minus_1 - (int64_t{1} << (n - float_digits(dtype) + 1));
    }
    return to;
}

// [from, to) for random_: checks, then the kernel with range and base.
Tensor& random_from_to(Tensor& self, int64_t from, int64_t to, const std::optional<Generator>& gen,
                       const char* op) {
    self.check_defined(op);
    EMBER_CHECK(from < to, op, ": random_ expects 'from' to be less than 'to', but got from=",
                from, " >= to=", to);
    if (self.is_floating_point()) {
        from = update_from(from, self.dtype());
        to = update_to(to, self.dtype());
        EMBER_CHECK(from < to, op, ": random_ expects 'from' casted to dtype to be less than 'to' "
                    "casted to dtype, but got from=", from, " >= to=", to, " for ",
                    self.dtype());
    }
    // Both ends must be values of the dtype.
    const auto [lo, hi] = dtype_limits(self.dtype());
    const int64_t last = to - 1;
    EMBER_CHECK(static_cast<double>(from) >= lo && static_cast<double>(from) <= hi, op,
                ": from is out of bounds for ", self.dtype(), " (from=", from,
                ", the dtype holds [", lo, ", ", hi, "])");
    EMBER_CHECK(static_cast<double>(last) >= lo && static_cast<double>(last) <= hi, op,
                ": to - 1 is out of bounds for ", self.dtype(), " (to - 1=", last,
                ", the dtype holds [", lo, ", ", hi, "])");
    const uint64_t range = static_cast<uint64_t>(to) - static_cast<uint64_t>(from);
    return fill_random(self, op, gen, [&](TensorIterator& it, CPUGeneratorImpl& g) {
        cpu_kernels().random_from_to(it, range, from, g);
    });
}

Tensor& uniform_impl(Tensor& self, double from, double to, const std::optional<Generator>& gen,
                     const char* op) {
    self.check_defined(op);
    check_floating(self, op, "check_uniform_bounds");
    const auto [lo, hi] = dtype_limits(self.dtype());
    EMBER_CHECK(from >= lo && from <= hi, op, ": from is out of bounds for ", self.dtype(),
                " (from=", from, ")");
    EMBER_CHECK(to >= lo && to <= hi, op, ": to is out of bounds for ", self.dtype(), " (to=", to,
                ")");
    EMBER_CHECK(from <= to, op, ": uniform_ expects to return a [from, to) range, but found from=",
                from, " > to=", to);
    EMBER_CHECK(to - from <= hi, op, ": uniform_ expects to-from <= std::numeric_limits<",
                dtype_short_name(self.dtype()), ">::max(), but found to=", to, " and from=", from,
                " which result in to-from to exceed the limit");
    return fill_random(self, op, gen, [&](TensorIterator& it, CPUGeneratorImpl& g) {
        cpu_kernels().uniform(it, from, to, g);
    });
}

Tensor& normal_impl(Tensor& self, double mean, double std, const std::optional<Generator>& gen,
                    const char* op) {
    self.check_defined(op);
    EMBER_CHECK(std >= 0.0, op, ": normal expects std >= 0.0, but found std ", std);
    check_floating(self, op, "normal_kernel_cpu");
    return fill_random(self, op, gen, [&](TensorIterator& it, CPUGeneratorImpl& g) {
        cpu_kernels().normal(it, mean, std, g);
    });
}

Tensor& bernoulli_scalar_impl(Tensor& self, double p, const std::optional<Generator>& gen,
                              const char* op) {
    self.check_defined(op);
    EMBER_CHECK(p >= 0 && p <= 1, op, ": bernoulli_ expects p to be in [0, 1], but got p=", p);
    return fill_random(self, op, gen, [&](TensorIterator& it, CPUGeneratorImpl& g) {
        cpu_kernels().bernoulli_scalar(it, p, g);
    });
}

// Dtype for a factory, and the check PyTorch makes before requires_grad.
Tensor finish(Tensor t, const TensorOptions& options, const char* op) {
    if (options.requires_grad) {
        EMBER_CHECK(t.is_floating_point(), op, ": Only Tensors of floating point and complex "
                    "dtype can require gradients (got ", t.dtype(), ")");
        t.requires_grad_(true);
    }
    return t;
}

void check_sizes(IntArrayRef sizes, const char* op) {
    for (int64_t s : sizes)
        EMBER_CHECK(s >= 0, op, ": Trying to create tensor with negative dimension ", s, ": ",
                    shape_str(sizes));
}

// A new uninitialised tensor for a factory (requires_grad is applied after the fill).
Tensor new_tensor(IntArrayRef sizes, const TensorOptions& options, DType default_type,
                  const char* op) {
    check_sizes(sizes, op);
    return empty(sizes, {.dtype = options.dtype.value_or(default_type), .device = options.device});
}

Tensor new_like(const Tensor& like, const TensorOptions& options, const char* op) {
    like.check_defined(op);
    TensorOptions inner = options;
    inner.requires_grad = false;
    return empty_like(like, inner);
}

}  // namespace

// ---- in-place methods -----------------------------------------------------------------------

Tensor& Tensor::uniform_(double from, double to, std::optional<Generator> gen) {
    return uniform_impl(*this, from, to, gen, "uniform_");
}

Tensor& Tensor::normal_(double mean, double std, std::optional<Generator> gen) {
    return normal_impl(*this, mean, std, gen, "normal_");
}

Tensor& Tensor::bernoulli_(double p, std::optional<Generator> gen) {
    return bernoulli_scalar_impl(*this, p, gen, "bernoulli_");
}

Tensor& Tensor::bernoulli_(const Tensor& p, std::optional<Generator> gen) {
    const char* op = "bernoulli_";
    check_defined(op);
    p.check_defined(op);
    if (!p.is_floating_point()) not_implemented(op, "bernoulli_tensor_cpu_p_", p,
                                                "floating-point probabilities");
    // p broadcasts to self's shape (never the other way).
    bool expandable = p.dim() <= dim();
    for (int64_t i = 1; expandable && i <= p.dim(); ++i) {
        int64_t have = p.size(-i), want = size(-i);
        expandable = have == want || have == 1;
    }
    EMBER_CHECK(expandable, op, ": the probabilities p of shape ", shape_str(p.sizes()),
                " cannot be broadcast to the shape ", shape_str(sizes()), " of self");
    Tensor probs = p.is_cpu() ? p : p.to(kCPU);
    {
        std::vector<double> values = probs.to_vector<double>();
        for (size_t i = 0; i < values.size(); ++i)
            EMBER_CHECK(values[i] >= 0 && values[i] <= 1, op,
                        ": expected every probability in p to be in [0, 1] (p_in >= 0 && p_in "
                        "<= 1), but p[", i, "] (flat index) is ", values[i], " in p ",
                        describe(p));
    }
    Tensor expanded = probs.expand(sizes());
    return fill_random(*this, op, gen, [&](TensorIterator& it, CPUGeneratorImpl& g) {
        cpu_kernels().bernoulli_tensor(it, g);
    }, expanded);
}

Tensor& Tensor::random_(int64_t from, int64_t to, std::optional<Generator> gen) {
    return random_from_to(*this, from, to, gen, "random_");
}

Tensor& Tensor::random_(int64_t to, std::optional<Generator> gen) {
    return random_from_to(*this, 0, to, gen, "random_");
}

Tensor& Tensor::random_(std::optional<Generator> gen) {
    check_defined("random_");
    return fill_random(*this, "random_", gen, [&](TensorIterator& it, CPUGeneratorImpl& g) {
        cpu_kernels().random_full(it, g);
    });
}

// ---- factories ------------------------------------------------------------------------------

Tensor rand(IntArrayRef sizes, TensorOptions options, std::optional<Generator> gen) {
    Tensor t = new_tensor(sizes, options, default_dtype(), "rand");
    uniform_impl(t, 0, 1, gen, "rand");
    return finish(std::move(t), options, "rand");
}

Tensor randn(IntArrayRef sizes, TensorOptions options, std::optional<Generator> gen) {
    Tensor t = new_tensor(sizes, options, default_dtype(), "randn");
    normal_impl(t, 0, 1, gen, "randn");
    return finish(std::move(t), options, "randn");
}

Tensor randint(int64_t high, IntArrayRef sizes, TensorOptions options,
               std::optional<Generator> gen) {
    return randint(0, high, sizes, options, gen);
}

Tensor randint(int64_t low, int64_t high, IntArrayRef sizes, TensorOptions options,
               std::optional<Generator> gen) {
    Tensor t = new_tensor(sizes, options, DType::Int64, "randint");
    random_from_to(t, low, high, gen, "randint");
    return finish(std::move(t), options, "randint");
}

Tensor randperm(int64_t n, TensorOptions options, std::optional<Generator> gen) {
    const char* op = "randperm";
    EMBER_CHECK(n >= 0, op, ": n must be non-negative, got ", n);
    const DType dtype = options.dtype.value_or(DType::Int64);
    Tensor t = empty({n}, {.dtype = dtype, .device = options.device});
    if (dtype == DType::Bool) not_implemented(op, "randperm", t, "a numeric dtype");
    // Every value 0..n-1 must be representable, exactly for the floating dtypes PyTorch checks.
    const auto [lo, hi] = dtype_limits(dtype);
    (void)lo;
    EMBER_CHECK(static_cast<double>(n > 0 ? n - 1 : 0) <= hi, op, ": n is too large for result "
                "tensor type ", dtype, " (n=", n, ", the largest value it holds is ", hi, ")");
    if (dtype == DType::Float16)
        EMBER_CHECK(n <= (int64_t{1} << 11) + 1, op, ": n cannot be greater than 2049 for Half "
                    "type (n=", n, ")");
    if (dtype == DType::Float32)
        EMBER_CHECK(n <= (int64_t{1} << 24) + 1, op, ": n cannot be greater than 2^24+1 for Float "
                    "type (n=", n, ")");
    if (dtype == DType::Float64)
        EMBER_CHECK(n <= (int64_t{1} << 53) + 1, op, ": n cannot be greater than 2^53+1 for "
                    "Double type (n=", n, ")");
    if (options.requires_grad)
        EMBER_CHECK(t.is_floating_point(), op, ": Only Tensors of floating point and complex "
                    "dtype can require gradients (got ", dtype, ")");
    if (n > 0) {  // n - 1 draws: none for n = 1
        Tensor target = t.is_cpu() ? t : empty({n}, {.dtype = dtype});
        TensorIterator it;
        it.add_output(target);
        it.build({.op = op, .allow_mixed_dtypes = true, .check_safe_cast = false,
              .check_mem_overlap = false});  // checked above
        Generator g = generator_or_default(gen);
        {
            std::lock_guard<std::mutex> lock(g.impl()->mutex);
            cpu_kernels().randperm(it, *g.impl());
        }
        if (!target.is_same(t)) t.copy_(target);
    }
    return finish(std::move(t), options, op);
}

Tensor normal(double mean, double std, IntArrayRef sizes, TensorOptions options,
              std::optional<Generator> gen) {
    Tensor t = new_tensor(sizes, options, default_dtype(), "normal");
    normal_impl(t, mean, std, gen, "normal");
    return finish(std::move(t), options, "normal");
}

Tensor bernoulli(const Tensor& p, std::optional<Generator> gen) {
    p.check_defined("bernoulli");
    if (!p.is_floating_point()) not_implemented("bernoulli", "bernoulli_tensor_cpu_p_", p,
                                                "floating-point probabilities");
    // A contiguous result whatever p's layout, as PyTorch's.
    Tensor out = empty(p.sizes(), {.dtype = p.dtype(), .device = p.device()});
    out.bernoulli_(p, gen);
    return out;
}

Tensor bernoulli(const Tensor& x, double p, std::optional<Generator> gen) {
    x.check_defined("bernoulli");
    Tensor out = empty(x.sizes(), {.dtype = x.dtype(), .device = x.device()});
    bernoulli_scalar_impl(out, p, gen, "bernoulli");
    return out;
}

Tensor rand_like(const Tensor& like, TensorOptions options, std::optional<Generator> gen) {
    Tensor t = new_like(like, options, "rand_like");
    uniform_impl(t, 0, 1, gen, "rand_like");
    return finish(std::move(t), options, "rand_like");
}

Tensor randn_like(const Tensor& like, TensorOptions options, std::optional<Generator> gen) {
    Tensor t = new_like(like, options, "randn_like");
    normal_impl(t, 0, 1, gen, "randn_like");
    return finish(std::move(t), options, "randn_like");
}

Tensor randint_like(const Tensor& like, int64_t high, TensorOptions options,
                    std::optional<Generator> gen) {
    return randint_like(like, 0, high, options, gen);
}

Tensor randint_like(const Tensor& like, int64_t low, int64_t high, TensorOptions options,
                    std::optional<Generator> gen) {
    Tensor t = new_like(like, options, "randint_like");
    random_from_to(t, low, high, gen, "randint_like");
    return finish(std::move(t), options, "randint_like");
}

}  // namespace ember
