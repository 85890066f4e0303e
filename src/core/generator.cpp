// MT19937, the CPU generator state and its byte-for-byte PyTorch state format, and the global
// default generator.
#include "ember/core/generator.h"

#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

#include "ember/core/tensor.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember {

// ---- MT19937 ----------------------------------------------------------------------------

namespace {
constexpr int kN = MT19937::kStateSize;
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfu;
constexpr uint32_t kUpperMask = 0x80000000u;
constexpr uint32_t kLowerMask = 0x7fffffffu;

uint32_t twist_pair(uint32_t u, uint32_t v) {
    uint32_t mixed = (u & kUpperMask) | (v & kLowerMask);
    return (mixed >> 1) ^ ((v & 1u) ? kMatrixA : 0u);
}
}  // namespace

MT19937::MT19937(uint64_t seed) {
    data_.seed = seed;
    data_.seeded = true;
    data_.state[0] = static_cast<uint32_t>(seed & 0xffffffffu);
    for (int j = 1; j < kN; ++j) {
        uint32_t prev = data_.state[j - 1];
        data_.state[j] = 1812433253u * (prev ^ (prev >> 30)) + static_cast<uint32_t>(j);
    }
    data_.left = 1;
    data_.next = 0;
}

bool MT19937::is_valid() const {
    return data_.seeded && data_.left > 0 && data_.left <= kN && data_.next <= kN;
}

void MT19937::twist() {
    uint32_t* s = data_.state.data();
    data_.left = kN;
    data_.next = 0;
    int j = 0;
    for (; j < kN - kM; ++j) s[j] = s[j + kM] ^ twist_pair(s[j], s[j + 1]);
    for (; j < kN - 1; ++j) s[j] = s[j + kM - kN] ^ twist_pair(s[j], s[j + 1]);
    s[kN - 1] = s[kM - 1] ^ twist_pair(s[kN - 1], s[0]);
}

// ---- CPUGeneratorImpl / Generator -------------------------------------------------------

void CPUGeneratorImpl::set_current_seed(uint64_t seed) {
    next_float_normal_sample.reset();
    next_double_normal_sample.reset();
    engine = MT19937(seed);
}

Generator::Generator(uint64_t seed) : impl_(std::make_shared<CPUGeneratorImpl>(seed)) {}

Generator& Generator::manual_seed(uint64_t seed) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->set_current_seed(seed);
    return *this;
}

uint64_t Generator::initial_seed() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->engine.seed();
}

static uint64_t nondeterministic_seed() {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) | rd();
}

uint64_t Generator::seed() {
    uint64_t s = nondeterministic_seed();
    manual_seed(s);
    return s;
}

// PyTorch's CPUGeneratorImplState (x86-64 layout, little-endian): the legacy TH state
// {u64 the_initial_seed; i32 left; i32 seeded; u64 next; u64 state[624]; f64 normal_x,
// normal_y, normal_rho; i32 normal_is_valid; pad} followed by {f32 next_float_normal_sample;
// bool is_next_float_normal_sample_valid; pad}. Padding bytes are zero, as PyTorch's are.
namespace {
constexpr size_t kSeedAt = 0, kLeftAt = 8, kSeededAt = 12, kNextAt = 16, kStateAt = 24;
constexpr size_t kNormalXAt = kStateAt + 8 * kN;  // 5016
constexpr size_t kNormalYAt = kNormalXAt + 8, kNormalRhoAt = kNormalXAt + 16;
constexpr size_t kNormalValidAt = kNormalXAt + 24;  // 5040
constexpr size_t kLegacyStateSize = 5048;
constexpr size_t kFloatSampleAt = 5048, kFloatValidAt = 5052;
constexpr size_t kStateSize = 5056;

template <class T>
void put(uint8_t* bytes, size_t at, T value) {
    std::memcpy(bytes + at, &value, sizeof(T));
}
template <class T>
T get(const uint8_t* bytes, size_t at) {
    T value;
    std::memcpy(&value, bytes + at, sizeof(T));
    return value;
}
}  // namespace

Tensor Generator::get_state() const {
    Tensor out = zeros({static_cast<int64_t>(kStateSize)}, {.dtype = DType::UInt8});
    uint8_t* b = out.data_ptr<uint8_t>();
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const MT19937::Data& d = impl_->engine.data();
    put<uint64_t>(b, kSeedAt, d.seed);
    put<int32_t>(b, kLeftAt, d.left);
    put<int32_t>(b, kSeededAt, d.seeded ? 1 : 0);
    put<uint64_t>(b, kNextAt, d.next);
    for (int i = 0; i < kN; ++i) put<uint64_t>(b, kStateAt + 8 * i, d.state[i]);
    if (impl_->next_double_normal_sample) {
        put<int32_t>(b, kNormalValidAt, 1);
        put<double>(b, kNormalYAt, *impl_->next_double_normal_sample);
    }
    if (impl_->next_float_normal_sample) {
        put<uint8_t>(b, kFloatValidAt, 1);
        put<float>(b, kFloatSampleAt, *impl_->next_float_normal_sample);
    }
    return out;
}

Generator& Generator::set_state(const Tensor& state) {
    state.check_defined("Generator.set_state");
    EMBER_CHECK(state.dtype() == DType::UInt8 && state.is_cpu(),
                "Generator.set_state: expected a uint8 cpu tensor (torch.ByteTensor) as the RNG "
                "state, got ", detail::describe(state));
    Tensor flat = state.contiguous();
    const size_t n = static_cast<size_t>(flat.numel());
    EMBER_CHECK(n == kLegacyStateSize || n == kStateSize,
                "Generator.set_state: expected either a CPUGeneratorImplStateLegacy of size ",
                kLegacyStateSize, " or a CPUGeneratorImplState of size ", kStateSize,
                " but found the input RNG state size to be ", n);
    const uint8_t* b = flat.data_ptr<uint8_t>();

    MT19937::Data d;
    d.seed = get<uint64_t>(b, kSeedAt);
    d.left = get<int32_t>(b, kLeftAt);
    d.seeded = get<int32_t>(b, kSeededAt) != 0;
    d.next = static_cast<uint32_t>(get<uint64_t>(b, kNextAt));
    for (int i = 0; i < kN; ++i)
        d.state[i] = static_cast<uint32_t>(get<uint64_t>(b, kStateAt + 8 * i));
    MT19937 engine;
    engine.set_data(d);
    EMBER_CHECK(engine.is_valid(), "Generator.set_state: invalid mt19937 state (seeded=",
                d.seeded, ", left=", d.left, ", next=", d.next, ")");

    std::optional<double> double_sample;
    std::optional<float> float_sample;
    if (get<int32_t>(b, kNormalValidAt) != 0) {
        if (n == kLegacyStateSize) {
            // The legacy format kept the Box-Muller inputs; the cached value is the sine half.
            double rho = get<double>(b, kNormalRhoAt);
            double theta = 2.0 * std::numbers::pi * get<double>(b, kNormalXAt);
            double_sample = rho * std::sin(theta);
        } else {
            double_sample = get<double>(b, kNormalYAt);
        }
    }
    if (n == kStateSize && get<uint8_t>(b, kFloatValidAt) != 0)
        float_sample = get<float>(b, kFloatSampleAt);

    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->engine = engine;
    impl_->next_double_normal_sample = double_sample;
    impl_->next_float_normal_sample = float_sample;
    return *this;
}

// ---- the default generator --------------------------------------------------------------

Generator default_generator() {
    static Generator gen(nondeterministic_seed());
    return gen;
}

Generator manual_seed(uint64_t seed) {
    Generator gen = default_generator();
    gen.manual_seed(seed);
    return gen;
}

uint64_t initial_seed() { return default_generator().initial_seed(); }

uint64_t seed() { return default_generator().seed(); }

Tensor get_rng_state() { return default_generator().get_state(); }

void set_rng_state(const Tensor& state) { default_generator().set_state(state); }

}  // namespace ember
