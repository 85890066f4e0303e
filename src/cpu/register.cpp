// Fills the CPU kernel table; called once, the first time a CPU kernel is needed.
#include "ops/dispatch.h"

namespace ember::detail {

void register_cpu_copy_kernels(Kernels& k);
void register_cpu_elementwise_kernels(Kernels& k);
void register_cpu_reduce_kernels(Kernels& k);
void register_cpu_ternary_kernels(Kernels& k);
void register_cpu_scan_kernels(Kernels& k);
void register_cpu_softmax_kernels(Kernels& k);
void register_cpu_random_kernels(Kernels& k);
void register_cpu_blas_kernels(Kernels& k);
void register_cpu_index_kernels(Kernels& k);
void register_cpu_sort_kernels(Kernels& k);
void register_cpu_conv_kernels(Kernels& k);
void register_cpu_pool_kernels(Kernels& k);
// (new family registration declarations go above this line)

void register_cpu_kernels(Kernels& k) {
    register_cpu_copy_kernels(k);
    register_cpu_elementwise_kernels(k);
    register_cpu_reduce_kernels(k);
    register_cpu_ternary_kernels(k);
    register_cpu_scan_kernels(k);
    register_cpu_softmax_kernels(k);
    register_cpu_random_kernels(k);
    register_cpu_blas_kernels(k);
    register_cpu_index_kernels(k);
    register_cpu_sort_kernels(k);
    register_cpu_conv_kernels(k);
    register_cpu_pool_kernels(k);
    // (new family registration calls go above this line)
    k.registered = true;
}

}  // namespace ember::detail
