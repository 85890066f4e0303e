// Samplers (torch.utils.data.sampler): which dataset indices an epoch visits, in which order.
//
// A Sampler yields indices one at a time; reset() starts a new pass (each epoch). Random
// samplers draw exactly what PyTorch 1.13 draws, lazily at the first next() of a pass, so for
// the same seed the orders equal PyTorch's epoch after epoch. A BatchSamplerBase yields index
// lists; BatchSampler groups a Sampler's indices. Subclass either to supply your own.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ember/core/generator.h"
#include "ember/core/tensor.h"

namespace ember::data {

class Sampler {
public:
    virtual ~Sampler() = default;
    // Starts a new pass over the indices.
    virtual void reset() = 0;
    // The next index of the pass, or nullopt at its end.
    virtual std::optional<int64_t> next() = 0;
    // Indices in one pass (len(sampler)).
    virtual int64_t size() const = 0;
};

// 0, 1, ..., n - 1.
class SequentialSampler : public Sampler {
public:
    explicit SequentialSampler(int64_t data_size);
    void reset() override { position_ = 0; }
    std::optional<int64_t> next() override;
    int64_t size() const override { return size_; }

private:
    int64_t size_;
    int64_t position_ = 0;
};

namespace detail {
// Indices produced chunk by chunk (a randperm, 32 randint values...), each chunk drawn when the
// previous one is used up, as PyTorch's generators draw them.
class ChunkedSampler : public Sampler {
public:
    void reset() override;
    std::optional<int64_t> next() override;

protected:
    // Fills `chunk` with the chunk number `k`; returns false when the pass has no such chunk.
    virtual bool draw_chunk(int64_t k, std::vector<int64_t>& chunk) = 0;
    virtual void start_pass() {}

private:
    std::vector<int64_t> chunk_;
    size_t position_ = 0;
    int64_t next_chunk_ = 0;
    bool started_ = false;
    bool finished_ = false;
};
}  // namespace detail

struct RandomSamplerOptions {
    bool replacement = false;
    std::optional<int64_t> num_samples;  // default: the data size
    // Without one, each pass seeds a private generator from one int64 draw of the default one.
    std::optional<Generator> generator;
};

// A random order of the indices (randperm), or draws with replacement (randint in chunks of 32).
class RandomSampler : public detail::ChunkedSampler {
public:
    explicit RandomSampler(int64_t data_size, RandomSamplerOptions options = {});
    int64_t size() const override { return num_samples_; }

private:
    void start_pass() override;
    bool draw_chunk(int64_t k, std::vector<int64_t>& chunk) override;

    int64_t data_size_;
    int64_t num_samples_;
    RandomSamplerOptions options_;
    Generator pass_generator_;
};

// indices[randperm(indices.size())[i]] (the default generator itself when none is given).
class SubsetRandomSampler : public detail::ChunkedSampler {
public:
    explicit SubsetRandomSampler(std::vector<int64_t> indices,
                                 std::optional<Generator> generator = std::nullopt);
    int64_t size() const override { return static_cast<int64_t>(indices_.size()); }

private:
    bool draw_chunk(int64_t k, std::vector<int64_t>& chunk) override;

    std::vector<int64_t> indices_;
    std::optional<Generator> generator_;
};

// Index i with probability weights[i] / sum(weights): torch.multinomial(weights, num_samples,
// replacement, generator).
class WeightedRandomSampler : public detail::ChunkedSampler {
public:
    WeightedRandomSampler(std::vector<double> weights, int64_t num_samples, bool replacement = true,
                          std::optional<Generator> generator = std::nullopt);
    int64_t size() const override { return num_samples_; }

private:
    bool draw_chunk(int64_t k, std::vector<int64_t>& chunk) override;

    std::vector<double> weights_;
    int64_t num_samples_;
    bool replacement_;
    std::optional<Generator> generator_;
};

// torch.multinomial for one row of float64 weights, drawing as PyTorch 1.13 does on the CPU.
std::vector<int64_t> multinomial(const std::vector<double>& weights, int64_t num_samples,
                                 bool replacement, std::optional<Generator> generator = std::nullopt);

// Yields lists of indices (a batch each).
class BatchSamplerBase {
public:
    virtual ~BatchSamplerBase() = default;
    virtual void reset() = 0;
    virtual std::optional<std::vector<int64_t>> next() = 0;
    virtual int64_t size() const = 0;
};

// Groups `sampler`'s indices into lists of batch_size; the last, shorter one is dropped with
// drop_last.
class BatchSampler : public BatchSamplerBase {
public:
    BatchSampler(std::shared_ptr<Sampler> sampler, int64_t batch_size, bool drop_last = false);
    void reset() override;
    std::optional<std::vector<int64_t>> next() override;
    int64_t size() const override;
    const std::shared_ptr<Sampler>& sampler() const { return sampler_; }

private:
    std::shared_ptr<Sampler> sampler_;
    int64_t batch_size_;
    bool drop_last_;
    bool exhausted_ = false;
};

}  // namespace ember::data
