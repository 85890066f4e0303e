// Samplers: the index orders of torch.utils.data's samplers, drawn as PyTorch 1.13 draws them.
#include "ember/data/sampler.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "ember/core/error.h"
#include "ember/data/dataloader.h"
#include "ember/ops/random.h"

namespace ember::data {
namespace {

std::vector<int64_t> to_vector(const Tensor& t) {
    const int64_t* p = t.data_ptr<int64_t>();
    return std::vector<int64_t>(p, p + t.numel());
}

std::vector<int64_t> randperm_vector(int64_t n, const std::optional<Generator>& gen) {
    return to_vector(randperm(n, {}, gen));
}

}  // namespace

SequentialSampler::SequentialSampler(int64_t data_size) : size_(data_size) {
    EMBER_CHECK(data_size >= 0, "SequentialSampler: data size must be non-negative, got ", data_size);
}

std::optional<int64_t> SequentialSampler::next() {
    if (position_ >= size_) return std::nullopt;
    return position_++;
}

namespace detail {

void ChunkedSampler::reset() {
    chunk_.clear();
    position_ = 0;
    next_chunk_ = 0;
    started_ = false;
    finished_ = false;
}

std::optional<int64_t> ChunkedSampler::next() {
    if (finished_) return std::nullopt;
    if (!started_) {
        started_ = true;
        start_pass();
    }
    while (position_ == chunk_.size()) {
        chunk_.clear();
        position_ = 0;
        if (!draw_chunk(next_chunk_++, chunk_)) {
            finished_ = true;
            return std::nullopt;
        }
    }
    return chunk_[position_++];
}

}  // namespace detail

RandomSampler::RandomSampler(int64_t data_size, RandomSamplerOptions options)
    : data_size_(data_size), num_samples_(options.num_samples.value_or(data_size)),
      options_(std::move(options)) {
    EMBER_CHECK(num_samples_ > 0,
                "RandomSampler: num_samples should be a positive integer value, but got "
                "num_samples=", num_samples_);
}

void RandomSampler::start_pass() {
    // PyTorch seeds a fresh generator from the default one at the start of every pass.
    pass_generator_ = options_.generator ? *options_.generator
                                         : Generator(detail::draw_seed(std::nullopt));
}

bool RandomSampler::draw_chunk(int64_t k, std::vector<int64_t>& chunk) {
    EMBER_CHECK(data_size_ > 0, "RandomSampler: cannot sample from an empty dataset");
    if (options_.replacement) {
        const int64_t full = num_samples_ / 32;
        if (k > full) return false;
        const int64_t count = k < full ? 32 : num_samples_ % 32;
        chunk = to_vector(randint(0, data_size_, {count}, {}, pass_generator_));
        return true;
    }
    const int64_t full = num_samples_ / data_size_;
    if (k > full) return false;
    chunk = randperm_vector(data_size_, pass_generator_);
    // The last permutation is drawn whole even when only a prefix (maybe none) is used.
    if (k == full) chunk.resize(static_cast<size_t>(num_samples_ % data_size_));
    return true;
}

SubsetRandomSampler::SubsetRandomSampler(std::vector<int64_t> indices,
                                         std::optional<Generator> generator)
    : indices_(std::move(indices)), generator_(std::move(generator)) {}

bool SubsetRandomSampler::draw_chunk(int64_t k, std::vector<int64_t>& chunk) {
    if (k > 0) return false;
    for (int64_t i : randperm_vector(static_cast<int64_t>(indices_.size()), generator_))
        chunk.push_back(indices_[static_cast<size_t>(i)]);
    return true;
}

WeightedRandomSampler::WeightedRandomSampler(std::vector<double> weights, int64_t num_samples,
                                             bool replacement, std::optional<Generator> generator)
    : weights_(std::move(weights)), num_samples_(num_samples), replacement_(replacement),
      generator_(std::move(generator)) {
    EMBER_CHECK(num_samples > 0,
                "WeightedRandomSampler: num_samples should be a positive integer value, but got "
                "num_samples=", num_samples);
}

bool WeightedRandomSampler::draw_chunk(int64_t k, std::vector<int64_t>& chunk) {
    if (k > 0) return false;
    chunk = multinomial(weights_, num_samples_, replacement_, generator_);
    return true;
}

std::vector<int64_t> multinomial(const std::vector<double>& weights, int64_t num_samples,
                                 bool replacement, std::optional<Generator> generator) {
    const int64_t n = static_cast<int64_t>(weights.size());
    EMBER_CHECK(n > 0, "multinomial: prob_dist cannot be empty");
    EMBER_CHECK(num_samples > 0, "multinomial: cannot sample n_sample <= 0 samples");
    double sum = 0;
    int64_t nonzero = 0;
    for (double w : weights) {
        EMBER_CHECK(std::isfinite(w) && w >= 0,
                    "multinomial: probability tensor contains either `inf`, `nan` or element < 0");
        sum += w;
        nonzero += w > 0;
    }
    EMBER_CHECK(sum > 0, "multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
    EMBER_CHECK(replacement || num_samples <= n,
                "multinomial: cannot sample n_sample > prob_dist.size(-1) samples without "
                "replacement (n_sample ", num_samples, ", ", n, " categories)");
    EMBER_CHECK(replacement || num_samples <= nonzero,
                "multinomial: invalid multinomial distribution (with replacement=False, not "
                "enough non-negative category to sample): ", nonzero, " nonzero weights for ",
                num_samples, " samples");
    Generator gen = generator ? *generator : default_generator();
    std::vector<int64_t> out;
    if (!replacement) {
        // PyTorch: q ~ Exponential(1) per category, then the top num_samples of weights / q.
        Tensor q = rand({n}, {.dtype = float64}, gen);
        const double* u = q.data_ptr<double>();
        std::vector<double> score(static_cast<size_t>(n));
        for (int64_t j = 0; j < n; ++j) score[j] = weights[j] / -std::log1p(-u[j]);
        std::vector<int64_t> order(static_cast<size_t>(n));
        for (int64_t j = 0; j < n; ++j) order[j] = j;
        std::stable_sort(order.begin(), order.end(),
                         [&](int64_t a, int64_t b) { return score[a] > score[b]; });
        out.assign(order.begin(), order.begin() + num_samples);
        return out;
    }
    // With replacement: a 53-bit uniform per sample, located in the normalised cumulative sums.
    std::vector<double> cumulative(static_cast<size_t>(n));
    double running = 0;
    for (int64_t j = 0; j < n; ++j) cumulative[j] = running += weights[j];
    for (double& c : cumulative) c /= running;
    Tensor u = rand({num_samples}, {.dtype = float64}, gen);
    const double* up = u.data_ptr<double>();
    for (int64_t s = 0; s < num_samples; ++s) {
        int64_t left = 0, right = n;
        while (right - left > 0) {
            const int64_t mid = left + (right - left) / 2;
            if (cumulative[mid] < up[s]) left = mid + 1;
            else right = mid;
        }
        out.push_back(left);
    }
    return out;
}

BatchSampler::BatchSampler(std::shared_ptr<Sampler> sampler, int64_t batch_size, bool drop_last)
    : sampler_(std::move(sampler)), batch_size_(batch_size), drop_last_(drop_last) {
    EMBER_CHECK(sampler_, "BatchSampler: sampler must not be null");
    EMBER_CHECK(batch_size > 0,
                "BatchSampler: batch_size should be a positive integer value, but got batch_size=",
                batch_size);
}

void BatchSampler::reset() {
    sampler_->reset();
    exhausted_ = false;
}

std::optional<std::vector<int64_t>> BatchSampler::next() {
    if (exhausted_) return std::nullopt;
    std::vector<int64_t> batch;
    batch.reserve(static_cast<size_t>(batch_size_));
    while (static_cast<int64_t>(batch.size()) < batch_size_) {
        std::optional<int64_t> index = sampler_->next();
        if (!index) {
            exhausted_ = true;
            break;
        }
        batch.push_back(*index);
    }
    if (batch.empty() || (drop_last_ && static_cast<int64_t>(batch.size()) < batch_size_))
        return std::nullopt;
    return batch;
}

int64_t BatchSampler::size() const {
    const int64_t n = sampler_->size();
    return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

}  // namespace ember::data
