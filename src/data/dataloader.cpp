// The DataLoader's worker threads: batches loaded ahead on threads and handed back in order.
#include "ember/data/dataloader.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "ember/core/error.h"
#include "ember/core/parallel.h"
#include "ember/ops/factory.h"
#include "ember/ops/indexing.h"

namespace ember::data {
namespace {
thread_local const WorkerInfo* current_worker = nullptr;
}  // namespace

const WorkerInfo* get_worker_info() { return current_worker; }

namespace detail {

void check_loader_options(bool iterable, int64_t batch_size, bool shuffle, bool has_sampler,
                          bool has_batch_sampler, bool drop_last, int num_workers,
                          double timeout, int prefetch_factor, bool persistent_workers) {
    EMBER_CHECK(num_workers >= 0, "DataLoader: num_workers option should be non-negative; use "
                                  "num_workers=0 to disable workers (got ", num_workers, ")");
    EMBER_CHECK(timeout >= 0, "DataLoader: timeout option should be non-negative (got ",
                timeout, ")");
    EMBER_CHECK(num_workers > 0 || prefetch_factor == 2,
                "DataLoader: prefetch_factor option could only be specified with workers; let "
                "num_workers > 0 to enable them (got prefetch_factor=", prefetch_factor, ")");
    EMBER_CHECK(prefetch_factor > 0, "DataLoader: prefetch_factor should be positive, got ",
                prefetch_factor);
    EMBER_CHECK(!persistent_workers || num_workers > 0,
                "DataLoader: persistent_workers option needs num_workers > 0");
    EMBER_CHECK(batch_size > 0, "DataLoader: batch_size should be a positive integer value, "
                                "but got batch_size=", batch_size);
    if (iterable) {
        EMBER_CHECK(!shuffle, "DataLoader with IterableDataset: expected unspecified shuffle "
                              "option, but got shuffle=true");
        EMBER_CHECK(!has_sampler, "DataLoader with IterableDataset: expected unspecified "
                                  "sampler option");
        EMBER_CHECK(!has_batch_sampler, "DataLoader with IterableDataset: expected unspecified "
                                        "batch_sampler option");
        return;
    }
    EMBER_CHECK(!(has_sampler && shuffle),
                "DataLoader: sampler option is mutually exclusive with shuffle");
    EMBER_CHECK(!has_batch_sampler || (batch_size == 1 && !shuffle && !has_sampler && !drop_last),
                "DataLoader: batch_sampler option is mutually exclusive with batch_size, "
                "shuffle, sampler, and drop_last");
}

uint64_t draw_seed(std::optional<Generator> generator) {
    Generator gen = generator ? *generator : default_generator();
    CPUGeneratorImpl* impl = gen.impl();
    std::lock_guard<std::mutex> lock(impl->mutex);
    return impl->random64() % (uint64_t{1} << 63);
}

void rethrow_sample_error(int64_t index) {
    std::string where = "DataLoader: loading sample index " + std::to_string(index);
    if (const WorkerInfo* info = get_worker_info())
        where += " in worker " + std::to_string(info->id);
    try {
        throw;
    } catch (const std::exception& e) {
        throw Error(where + " failed: " + e.what());
    } catch (...) {
        throw Error(where + " failed with a non-standard exception");
    }
}

Tensor index_tensor(const std::vector<int64_t>& indices, int64_t size) {
    for (int64_t index : indices) {
        try {
            check_index("TensorDataset", index, size);
        } catch (...) {
            rethrow_sample_error(index);
        }
    }
    Tensor index = empty({static_cast<int64_t>(indices.size())}, {.dtype = DType::Int64});
    std::copy(indices.begin(), indices.end(), index.data_ptr<int64_t>());
    return index;
}

Tensor tensor_rows_of(const Tensor& tensor, const Tensor& index) {
    return index_select(tensor, 0, index);
}

struct LoaderEngine::State {
    struct Task {
        int64_t epoch;
        int64_t seq;
        std::vector<int64_t> indices;
    };
    struct Result {
        std::shared_ptr<void> batch;
        std::exception_ptr error;
    };

    LoaderConfig config;
    Fetch fetch;
    NextIndices next_indices;

    std::mutex mutex;
    std::condition_variable task_ready;
    std::condition_variable result_ready;  // also signals a worker going idle
    std::deque<Task> tasks;
    std::map<int64_t, Result> results;
    std::vector<std::thread> threads;
    std::vector<std::unique_ptr<WorkerInfo>> infos;
    std::exception_ptr init_error;
    int busy = 0;
    bool stopping = false;

    int64_t epoch = 0;
    int64_t sent = 0;       // batches handed to workers (or loaded) this epoch
    int64_t returned = 0;   // batches given back to the iterating thread
    bool indices_done = true;
    bool ended = true;

    void start_workers(uint64_t base_seed) {
        stopping = false;
        for (int id = 0; id < config.num_workers; ++id) {
            const uint64_t seed = base_seed + static_cast<uint64_t>(id);
            infos.push_back(std::make_unique<WorkerInfo>(
                WorkerInfo{id, config.num_workers, seed, Generator(seed)}));
            threads.emplace_back([this, info = infos.back().get()] { work(info); });
        }
    }

    void stop_workers() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        task_ready.notify_all();
        for (std::thread& t : threads) t.join();
        threads.clear();
        infos.clear();
    }

    void work(const WorkerInfo* info) {
        current_worker = info;
        SingleThreadGuard single_thread;
        if (config.worker_init_fn) {
            try {
                config.worker_init_fn(info->id);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!init_error) init_error = std::current_exception();
                result_ready.notify_all();
            }
        }
        std::unique_lock<std::mutex> lock(mutex);
        for (;;) {
            task_ready.wait(lock, [&] { return stopping || !tasks.empty(); });
            if (stopping) return;
            Task task = std::move(tasks.front());
            tasks.pop_front();
            ++busy;
            lock.unlock();
            Result result;
            try {
                result.batch = fetch(task.indices);
            } catch (...) {
                result.error = std::current_exception();
            }
            lock.lock();
            --busy;
            if (task.epoch == epoch) results.emplace(task.seq, std::move(result));
            result_ready.notify_all();
        }
    }

    // Hands index batches to the workers until prefetch_factor per worker are in flight.
    void fill() {
        const int64_t ahead = int64_t{config.num_workers} * config.prefetch_factor;
        while (!indices_done && sent - returned < ahead) {
            std::optional<std::vector<int64_t>> indices = next_indices();
            if (!indices) {
                indices_done = true;
                break;
            }
            {
                std::lock_guard<std::mutex> lock(mutex);
                tasks.push_back({epoch, sent++, std::move(*indices)});
            }
            task_ready.notify_one();
        }
    }
};

LoaderEngine::LoaderEngine(LoaderConfig config, Fetch fetch) : state_(std::make_unique<State>()) {
    state_->config = std::move(config);
    state_->fetch = std::move(fetch);
}

LoaderEngine::~LoaderEngine() { state_->stop_workers(); }

void LoaderEngine::start_epoch(NextIndices next_indices, const std::function<uint64_t()>& base_seed) {
    State& s = *state_;
    stop_epoch();
    s.next_indices = std::move(next_indices);
    s.sent = s.returned = 0;
    s.indices_done = false;
    s.ended = false;
    const bool running = !s.threads.empty();
    if (!running) {
        const uint64_t seed = base_seed();
        if (s.config.num_workers > 0) s.start_workers(seed);
    }
}

void LoaderEngine::finish_epoch() {
    // Like PyTorch's iterator at its end, non-persistent workers shut down with the epoch.
    stop_epoch();
}

void LoaderEngine::stop_epoch() {
    State& s = *state_;
    {
        std::unique_lock<std::mutex> lock(s.mutex);
        ++s.epoch;
        s.tasks.clear();
        s.results.clear();
        // Nothing may still run a fetch of the old epoch when the sampler or stream resets.
        s.result_ready.wait(lock, [&] { return s.busy == 0; });
    }
    s.indices_done = true;
    s.ended = true;
    if (!s.config.persistent_workers) s.stop_workers();
}

std::shared_ptr<void> LoaderEngine::next() {
    State& s = *state_;
    if (s.ended) return nullptr;
    if (s.config.num_workers == 0) {
        std::optional<std::vector<int64_t>> indices = s.next_indices();
        std::shared_ptr<void> batch = indices ? s.fetch(*indices) : nullptr;
        if (!batch) s.ended = true;
        return batch;
    }
    s.fill();
    if (s.indices_done && s.returned == s.sent) {
        finish_epoch();
        return nullptr;
    }
    State::Result result;
    {
        std::unique_lock<std::mutex> lock(s.mutex);
        auto ready = [&] { return s.init_error || s.results.count(s.returned) > 0; };
        if (s.config.timeout > 0) {
            const auto limit = std::chrono::duration<double>(s.config.timeout);
            EMBER_CHECK(s.result_ready.wait_for(lock, limit, ready),
                        "DataLoader timed out after ", s.config.timeout,
                        " seconds waiting for batch ", s.returned, " of the epoch");
        } else {
            s.result_ready.wait(lock, ready);
        }
        if (s.init_error) {
            std::exception_ptr error = s.init_error;
            s.init_error = nullptr;
            lock.unlock();
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                throw Error(std::string("DataLoader: worker_init_fn failed: ") + e.what());
            }
        }
        auto it = s.results.find(s.returned);
        result = std::move(it->second);
        s.results.erase(it);
        ++s.returned;
    }
    s.fill();
    if (result.error) std::rethrow_exception(result.error);
    if (!result.batch || (s.indices_done && s.returned == s.sent)) finish_epoch();
    return result.batch;
}

}  // namespace detail
}  // namespace ember::data
