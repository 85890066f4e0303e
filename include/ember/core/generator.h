// Generator: PyTorch's CPU random number generator (MT19937 plus a cached normal value) behind
// a cheap shared handle, and the global default generator that ember::manual_seed seeds, so the
// same seed gives the same numbers as PyTorch on the CPU (DESIGN decision 8).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "ember/core/device.h"

namespace ember {

class Tensor;

// The Mersenne Twister exactly as PyTorch's at::mt19937: the standard MT19937 with
// init_genrand seeding from the low 32 bits of the seed; the full 64-bit seed is remembered.
class MT19937 {
public:
    static constexpr int kStateSize = 624;

    // Everything that defines the engine's position (what get_state/set_state move around).
    struct Data {
        uint64_t seed = 0;
        int left = 1;         // draws left before the next twist (1: twist on the next draw)
        bool seeded = false;
        uint32_t next = 0;    // index of the next state word to temper
        std::array<uint32_t, kStateSize> state{};
    };

    explicit MT19937(uint64_t seed = 5489);

    uint32_t operator()() {
        if (--data_.left == 0) twist();
        uint32_t y = data_.state[data_.next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    uint64_t seed() const { return data_.seed; }
    const Data& data() const { return data_; }
    void set_data(const Data& data) { data_ = data; }
    // A state that operator() can run from (seeded, counters in range).
    bool is_valid() const;

private:
    void twist();

    Data data_;
};

// The state behind a Generator. Draws are not locked: an op takes `mutex` once and draws all its
// elements, so each op consumes one uninterrupted stretch of the stream, as in PyTorch.
class CPUGeneratorImpl {
public:
    explicit CPUGeneratorImpl(uint64_t seed) : engine(seed) {}

    uint32_t random() { return engine(); }
    // Two words, the first one the high half (PyTorch's random64).
    uint64_t random64() {
        uint64_t hi = engine();
        uint64_t lo = engine();
        return (hi << 32) | lo;
    }
    // Reseeds the engine and forgets the cached normal values.
    void set_current_seed(uint64_t seed);

    std::mutex mutex;
    MT19937 engine;
    // The second value of the last Box-Muller pair (normal_ on small or strided tensors).
    std::optional<double> next_double_normal_sample;
    // Kept only so that states taken from PyTorch survive a round trip; no CPU op uses it.
    std::optional<float> next_float_normal_sample;
};

// torch.Generator for the CPU. Copies share the state (like Python references to one generator).
class Generator {
public:
    // The seed torch.Generator() starts from.
    static constexpr uint64_t kDefaultSeed = 67280421310721ull;

    Generator() : Generator(kDefaultSeed) {}
    explicit Generator(uint64_t seed);

    // Reseeds (only the low 32 bits reach the engine; initial_seed() keeps all 64).
    Generator& manual_seed(uint64_t seed);
    uint64_t initial_seed() const;
    // Reseeds from a nondeterministic source and returns the new seed.
    uint64_t seed();

    // The state as PyTorch's byte tensor (5056 uint8 values, the same layout as
    // torch.Generator.get_state(), so states move between ember and PyTorch).
    Tensor get_state() const;
    // Accepts get_state()'s format and PyTorch's 5048-byte legacy format.
    Generator& set_state(const Tensor& state);

    Device device() const { return kCPU; }
    CPUGeneratorImpl* impl() const { return impl_.get(); }
    bool is_same(const Generator& other) const { return impl_ == other.impl_; }

private:
    std::shared_ptr<CPUGeneratorImpl> impl_;
};

// The global generator that random ops use when none is given. Like PyTorch's, it starts from a
// nondeterministic seed until manual_seed is called.
Generator default_generator();
// Seeds the default generator (torch.manual_seed) and returns it.
Generator manual_seed(uint64_t seed);
uint64_t initial_seed();
// Reseeds the default generator nondeterministically and returns the seed (torch.seed).
uint64_t seed();
Tensor get_rng_state();
void set_rng_state(const Tensor& state);

}  // namespace ember
