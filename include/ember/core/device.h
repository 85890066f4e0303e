// Device: where a tensor's storage lives (cpu, or cuda:N).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace ember {

enum class DeviceType : uint8_t { CPU, CUDA };
inline constexpr int kNumDeviceTypes = 2;

struct Device {
    DeviceType type = DeviceType::CPU;
    int8_t index = -1;  // -1: the current device of that type (always 0 for cpu)

    constexpr Device() = default;
    constexpr Device(DeviceType t, int8_t i = -1) : type(t), index(i) {}  // NOLINT
    // Parses "cpu", "cuda", "cuda:1". Throws ember::Error on anything else.
    Device(std::string_view spec);        // NOLINT: implicit, as torch.device("cuda:0")
    Device(const char* spec) : Device(std::string_view(spec)) {}  // NOLINT

    bool is_cpu() const { return type == DeviceType::CPU; }
    bool is_cuda() const { return type == DeviceType::CUDA; }
    std::string str() const;  // "cpu", "cuda:0"

    friend bool operator==(const Device& a, const Device& b) {
        // cpu and cpu:0 are the same device; cuda without an index means the current one.
        if (a.type != b.type) return false;
        if (a.type == DeviceType::CPU) return true;
        return a.index == b.index;
    }
};

inline constexpr Device kCPU{DeviceType::CPU};
inline constexpr Device kCUDA{DeviceType::CUDA};

std::ostream& operator<<(std::ostream& os, const Device& d);

// Whether this build of ember has CUDA support, and how many GPUs it can see.
bool cuda_is_available();
int cuda_device_count();

}  // namespace ember
