// The per-device kernel tables, filled on first use by each backend's registration function.
#include "ops/dispatch.h"

#include "ember/core/error.h"

namespace ember::detail {

namespace {
struct Tables {
    Kernels by_device[kNumDeviceTypes];
    Tables() {
        register_cpu_kernels(by_device[static_cast<int>(DeviceType::CPU)]);
#ifdef EMBER_WITH_CUDA
        register_cuda_kernels(by_device[static_cast<int>(DeviceType::CUDA)]);
#endif
    }
};
}  // namespace

const Kernels& kernels(Device device) {
    static const Tables tables;  // built on first call, thread-safe (not a static initializer)
    const Kernels& k = tables.by_device[static_cast<int>(device.type)];
    EMBER_CHECK(k.registered, "ember was built without CUDA: rebuild with -DEMBER_CUDA=ON to use ",
                device);
    return k;
}

}  // namespace ember::detail
