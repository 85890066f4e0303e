// DataLoader (torch.utils.data.DataLoader): batches from a dataset, optionally loaded ahead on
// worker threads, always in the sampler's order whatever the number of workers.
//
//     struct Points : ember::data::Dataset<> {          // samples are (x, y) tensor pairs
//         ember::Tensor x, y;
//         int64_t size() const override { return x.size(0); }
//         std::pair<ember::Tensor, ember::Tensor> get(int64_t i) const override { return {x[i], y[i]}; }
//     };
//
//     ember::manual_seed(42);                           // fixes the shuffle, as in PyTorch
//     ember::data::DataLoader loader(points, {.batch_size = 4, .shuffle = true});
//     for (int epoch = 0; epoch < 2; ++epoch)
//         for (auto& [x, y] : loader) ...               // x: [4, ...] stacked samples
//
// For the same seed the batches equal PyTorch's, epoch after epoch: each epoch draws a worker
// base seed and (shuffle without a generator) one seed for the sampler from the generator.
// Workers are threads that run kernels single-threaded; worker i sees get_worker_info() with
// seed base_seed + i and a Generator seeded with it. Threads share the default generator, so
// random work inside get() should draw from get_worker_info()->generator (PyTorch's workers
// are processes that each reseed their own default generator) to stay reproducible. An exception while
// loading a sample reaches the iterating thread naming the sample index; the epoch can go on
// and the loader stays usable. Destroying a loader (or starting a new epoch) mid-epoch stops
// and joins its workers; a worker stuck inside get() is waited for.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "ember/core/error.h"
#include "ember/core/generator.h"
#include "ember/data/collate.h"
#include "ember/data/dataset.h"
#include "ember/data/sampler.h"

namespace ember::data {

// What a worker thread knows about itself (torch.utils.data.get_worker_info()).
struct WorkerInfo {
    int id = 0;
    int num_workers = 0;
    uint64_t seed = 0;  // base_seed + id
    Generator generator;  // seeded with `seed`; for random work inside the worker
};
// The calling worker's info, or nullptr on a thread that is not a DataLoader worker.
const WorkerInfo* get_worker_info();

template <class Sample, class Batch = collate_t<Sample>>
struct DataLoaderOptions {
    int64_t batch_size = 1;
    bool shuffle = false;                           // RandomSampler over the dataset
    std::shared_ptr<Sampler> sampler;               // exclusive with shuffle
    std::shared_ptr<BatchSamplerBase> batch_sampler;  // exclusive with the four above and drop_last
    int num_workers = 0;                            // threads; 0 loads on the iterating thread
    std::function<Batch(std::vector<Sample>)> collate_fn;  // default_collate when empty
    bool pin_memory = false;                        // nothing to do before CUDA
    bool drop_last = false;
    double timeout = 0;                             // seconds to wait for a worker's batch; 0: forever
    std::function<void(int)> worker_init_fn;        // runs in each worker with its id
    std::optional<Generator> generator;             // for shuffling and the base seed
    int prefetch_factor = 2;                        // batches in flight per worker
    bool persistent_workers = false;                // keep the workers between epochs
};

namespace detail {

struct LoaderConfig {
    int num_workers = 0;
    int prefetch_factor = 2;
    double timeout = 0;
    bool persistent_workers = false;
    std::function<void(int)> worker_init_fn;
};

// Checks a DataLoader's options the way PyTorch does (the messages name DataLoader).
void check_loader_options(bool iterable, int64_t batch_size, bool shuffle, bool has_sampler,
                          bool has_batch_sampler, bool drop_last, int num_workers,
                          double timeout, int prefetch_factor, bool persistent_workers);
// One int64 draw (torch.empty((), dtype=int64).random_(generator)).
uint64_t draw_seed(std::optional<Generator> generator);
// Rethrows the exception being handled as an ember::Error naming the sample index and worker.
[[noreturn]] void rethrow_sample_error(int64_t index);

// N for TensorDataset<N>'s sample type, else 0.
template <class Sample>
inline constexpr size_t tensor_sample_size = 0;
template <>
inline constexpr size_t tensor_sample_size<std::pair<Tensor, Tensor>> = 2;
template <size_t N>
inline constexpr size_t tensor_sample_size<std::array<Tensor, N>> = N;

// The rows at `indices` of each tensor: what default_collate makes of TensorDataset's samples.
// An index out of range is the error TensorDataset::get gives, naming the sample.
Tensor tensor_rows_of(const Tensor& tensor, const Tensor& index);
Tensor index_tensor(const std::vector<int64_t>& indices, int64_t size);
template <size_t N>
TensorSample<N> tensor_rows(const std::array<Tensor, N>& tensors,
                            const std::vector<int64_t>& indices) {
    const Tensor index = index_tensor(indices, tensors[0].size(0));
    if constexpr (N == 2) {
        return {tensor_rows_of(tensors[0], index), tensor_rows_of(tensors[1], index)};
    } else {
        TensorSample<N> batch;
        for (size_t k = 0; k < N; ++k) batch[k] = tensor_rows_of(tensors[k], index);
        return batch;
    }
}

// The worker threads and the in-order delivery of batches, independent of the sample type.
// A batch travels as a shared_ptr<void>; a null batch from `fetch` ends the epoch.
class LoaderEngine {
public:
    using Fetch = std::function<std::shared_ptr<void>(const std::vector<int64_t>& indices)>;
    using NextIndices = std::function<std::optional<std::vector<int64_t>>()>;

    LoaderEngine(LoaderConfig config, Fetch fetch);
    ~LoaderEngine();
    LoaderEngine(const LoaderEngine&) = delete;
    LoaderEngine& operator=(const LoaderEngine&) = delete;

    // Abandons any running epoch and starts one; `base_seed` is asked for only when workers
    // start (every epoch, except with persistent workers already running).
    void start_epoch(NextIndices next_indices, const std::function<uint64_t()>& base_seed);
    // The next batch in order, null at the end of the epoch; rethrows a loading error.
    std::shared_ptr<void> next();
    // Drops the rest of the epoch (and stops non-persistent workers).
    void stop_epoch();

private:
    void finish_epoch();
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace detail

template <class Sample, class Batch = collate_t<Sample>>
class DataLoader {
public:
    using Options = DataLoaderOptions<Sample, Batch>;

    template <class D>
        requires std::derived_from<std::remove_cvref_t<D>, Dataset<Sample>>
    explicit DataLoader(D&& dataset, Options options = {})
        : options_(std::move(options)), dataset_(hold_dataset(std::forward<D>(dataset))) {
        check(false);
        if (options_.batch_sampler) {
            batch_sampler_ = options_.batch_sampler;
        } else {
            std::shared_ptr<Sampler> sampler = options_.sampler;
            if (!sampler && options_.shuffle)
                sampler = std::make_shared<RandomSampler>(
                    dataset_->size(), RandomSamplerOptions{.generator = options_.generator});
            if (!sampler) sampler = std::make_shared<SequentialSampler>(dataset_->size());
            batch_sampler_ =
                std::make_shared<BatchSampler>(sampler, options_.batch_size, options_.drop_last);
        }
        DatasetPtr<Sample> data = dataset_;
        if constexpr (detail::tensor_sample_size<Sample> > 0 && std::is_same_v<Batch, Sample>) {
            // A TensorDataset under the default collation: each tensor's rows at the batch's
            // indices, one index_select per tensor instead of a view per sample and a stack
            // (the same batch, element for element). Exactly that type: a subclass may
            // override get().
            constexpr size_t N = detail::tensor_sample_size<Sample>;
            using Tensors = TensorDataset<N>;
            if (!options_.collate_fn && typeid(*data) == typeid(Tensors)) {
                engine_ = std::make_unique<detail::LoaderEngine>(
                    config(), [data](const std::vector<int64_t>& indices) -> std::shared_ptr<void> {
                        const auto& tensors = static_cast<const Tensors&>(*data);
                        return std::make_shared<Batch>(
                            detail::tensor_rows<N>(tensors.tensors(), indices));
                    });
                return;
            }
        }
        auto collate = collate_fn();
        engine_ = std::make_unique<detail::LoaderEngine>(
            config(), [data, collate](const std::vector<int64_t>& indices) -> std::shared_ptr<void> {
                std::vector<Sample> samples;
                samples.reserve(indices.size());
                for (int64_t index : indices) {
                    try {
                        samples.push_back(data->get(index));
                    } catch (...) {
                        detail::rethrow_sample_error(index);
                    }
                }
                return std::make_shared<Batch>(collate(std::move(samples)));
            });
    }

    template <class D>
        requires std::derived_from<std::remove_cvref_t<D>, IterableDataset<Sample>>
    explicit DataLoader(D&& dataset, Options options = {}) : options_(std::move(options)) {
        check(true);
        std::shared_ptr<IterableDataset<Sample>> stream;
        if constexpr (std::is_lvalue_reference_v<D>)
            stream = std::shared_ptr<IterableDataset<Sample>>(std::shared_ptr<void>(), &dataset);
        else
            stream = std::make_shared<std::remove_cvref_t<D>>(std::forward<D>(dataset));
        stream_ = stream;
        auto collate = collate_fn();
        const int64_t batch_size = options_.batch_size;
        const bool drop_last = options_.drop_last;
        // One reader keeps the stream's order: at most one worker thread.
        options_.num_workers = std::min(options_.num_workers, 1);
        engine_ = std::make_unique<detail::LoaderEngine>(
            config(), [stream, collate, batch_size, drop_last](const std::vector<int64_t>&)
                          -> std::shared_ptr<void> {
                std::vector<Sample> samples;
                while (static_cast<int64_t>(samples.size()) < batch_size) {
                    std::optional<Sample> sample = stream->next();
                    if (!sample) break;
                    samples.push_back(std::move(*sample));
                }
                if (samples.empty() || (drop_last && static_cast<int64_t>(samples.size()) < batch_size))
                    return nullptr;
                return std::make_shared<Batch>(collate(std::move(samples)));
            });
    }

    DataLoader(DataLoader&&) noexcept = default;
    DataLoader& operator=(DataLoader&&) noexcept = default;

    class iterator {
    public:
        using value_type = Batch;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        Batch& operator*() const { return *static_cast<Batch*>(loader_->current_.get()); }
        Batch* operator->() const { return &**this; }
        iterator& operator++() {
            loader_->advance();
            return *this;
        }
        bool operator==(const iterator& other) const {
            return at_end() == other.at_end();
        }

    private:
        friend class DataLoader;
        explicit iterator(DataLoader* loader) : loader_(loader) {}
        bool at_end() const { return !loader_ || !loader_->current_; }
        DataLoader* loader_ = nullptr;
    };

    // Starts an epoch (abandoning one in progress) and loads its first batch.
    iterator begin() {
        current_.reset();
        engine_->stop_epoch();  // no worker touches the sampler or stream while they reset
        if (stream_) stream_->reset();
        engine_->start_epoch(next_indices(), [this] { return detail::draw_seed(options_.generator); });
        advance();
        return iterator(this);
    }
    iterator end() { return iterator(); }

    // Batches per epoch (len(loader)); map-style datasets only.
    int64_t size() const {
        EMBER_CHECK(batch_sampler_, "DataLoader: size() is unknown for an IterableDataset");
        return batch_sampler_->size();
    }
    const Options& options() const { return options_; }
    const std::shared_ptr<BatchSamplerBase>& batch_sampler() const { return batch_sampler_; }

private:
    void check(bool iterable) const {
        detail::check_loader_options(iterable, options_.batch_size, options_.shuffle,
                                     options_.sampler != nullptr, options_.batch_sampler != nullptr,
                                     options_.drop_last, options_.num_workers, options_.timeout,
                                     options_.prefetch_factor, options_.persistent_workers);
    }
    detail::LoaderConfig config() const {
        return {options_.num_workers, options_.prefetch_factor, options_.timeout,
                options_.persistent_workers, options_.worker_init_fn};
    }
    std::function<Batch(std::vector<Sample>)> collate_fn() const {
        if (options_.collate_fn) return options_.collate_fn;
        if constexpr (requires(const std::vector<Sample>& b) { { default_collate(b) } -> std::convertible_to<Batch>; })
            return [](std::vector<Sample> samples) -> Batch { return default_collate(samples); };
        else
            EMBER_ERROR("DataLoader: this sample type has no default collation; give a collate_fn");
    }
    detail::LoaderEngine::NextIndices next_indices() {
        if (!batch_sampler_)
            return [] { return std::optional<std::vector<int64_t>>(std::vector<int64_t>{}); };
        std::shared_ptr<BatchSamplerBase> sampler = batch_sampler_;
        sampler->reset();
        return [sampler] { return sampler->next(); };
    }
    void advance() {
        try {
            current_ = engine_->next();
        } catch (...) {
            current_.reset();
            throw;
        }
    }

    Options options_;
    DatasetPtr<Sample> dataset_;
    std::shared_ptr<IterableDataset<Sample>> stream_;
    std::shared_ptr<BatchSamplerBase> batch_sampler_;
    std::unique_ptr<detail::LoaderEngine> engine_;
    std::shared_ptr<void> current_;
};

template <class D>
DataLoader(D&&, DataLoaderOptions<typename std::remove_cvref_t<D>::sample_type>)
    -> DataLoader<typename std::remove_cvref_t<D>::sample_type>;
template <class D>
DataLoader(D&&) -> DataLoader<typename std::remove_cvref_t<D>::sample_type>;

}  // namespace ember::data
