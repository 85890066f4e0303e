// Device parsing and printing.
#include "ember/core/device.h"

#include <charconv>
#include <ostream>

#include "ember/core/error.h"

namespace ember {

Device::Device(std::string_view spec) {
    auto bad = [&] {
        EMBER_ERROR("Device: expected a device string like \"cpu\", \"cuda\" or \"cuda:0\", got \"",
                    spec, "\"");
    };
    std::string_view kind = spec.substr(0, spec.find(':'));
    if (kind == "cpu") {
        type = DeviceType::CPU;
    } else if (kind == "cuda") {
        type = DeviceType::CUDA;
    } else {
        bad();
    }
    if (kind.size() < spec.size()) {
        std::string_view num = spec.substr(kind.size() + 1);
        int value = -1;
        auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), value);
        if (num.empty() || ec != std::errc() || ptr != num.data() + num.size() || value < 0 ||
            value > 127)
            bad();
        if (type == DeviceType::CPU && value != 0)
            EMBER_ERROR("Device: cpu has only device index 0, got \"", spec, "\"");
        index = static_cast<int8_t>(value);
    }
}

std::string Device::str() const {
    if (type == DeviceType::CPU) return "cpu";
    return index < 0 ? std::string("cuda") : "cuda:" + std::to_string(index);
}

std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.str(); }

#ifndef EMBER_WITH_CUDA
bool cuda_is_available() { return false; }
int cuda_device_count() { return 0; }
#endif

}  // namespace ember
