// CPU kernels for copy (any dtype to any dtype) and fill.
#include "cpu/loops.h"
#include "ops/dispatch.h"

namespace ember::detail {

// Value conversion with PyTorch's semantics: to bool is `!= 0`, the 16-bit floats go through
// float, everything else is a C++ conversion.
template <class O, class I>
inline O convert(I v) {
    if constexpr (std::is_same_v<O, bool>) {
        return static_cast<opmath_t<I>>(v) != opmath_t<I>(0);
    } else if constexpr (is_reduced_float_v<O> || is_reduced_float_v<I>) {
        return static_cast<O>(static_cast<float>(v));
    } else {
        return static_cast<O>(v);
    }
}

static void copy_kernel(TensorIterator& iter) {
    visit_dtype(iter.dtype(0), [&](auto out_tag) {
        using O = typename decltype(out_tag)::type;
        visit_dtype(iter.dtype(1), [&](auto in_tag) {
            using I = typename decltype(in_tag)::type;
            cpu_kernel<O, I>(iter, [](I v) { return convert<O>(v); });
        });
    });
}

static void fill_kernel(TensorIterator& iter, const Scalar& value) {
    visit_dtype(iter.dtype(0), [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T v = value.to<opmath_t<T>>();
        cpu_kernel<T>(iter, [v]() { return v; });
    });
}

void register_cpu_copy_kernels(Kernels& k) {
    k.copy = copy_kernel;
    k.fill = fill_kernel;
}

}  // namespace ember::detail
