// The caching CPU allocator (see include/ember/core/allocator.h).
#include "ember/core/allocator.h"

#include <atomic>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "ember/core/error.h"

namespace ember {

namespace {

constexpr size_t kAlignment = 64;
constexpr int kSubClasses = 4;  // size classes per power of two
constexpr int kNumClasses = 64 * kSubClasses;

// The size actually allocated for a request, and its class index.
struct SizeClass {
    size_t bytes;
    int index;
};

SizeClass size_class(size_t nbytes) {
    size_t n = std::max<size_t>(nbytes, kAlignment);
    size_t pow2 = std::bit_floor(n);
    size_t step = std::max<size_t>(pow2 / kSubClasses, kAlignment);
    size_t rounded = (n + step - 1) / step * step;
    // Rounding may reach the next power of two; recompute the class from the rounded size.
    size_t p = std::bit_floor(rounded);
    size_t s = std::max<size_t>(p / kSubClasses, kAlignment);
    int sub = static_cast<int>((rounded - p) / s);
    return {rounded, std::countr_zero(p) * kSubClasses + sub};
}

struct Cache {
    std::mutex mutex;
    std::vector<void*> free_blocks[kNumClasses];
    size_t cached_bytes = 0;
    size_t limit;

    Cache() {
        limit = size_t(2) << 30;
        if (const char* env = std::getenv("EMBER_CPU_CACHE_LIMIT_MB")) {
            char* end = nullptr;
            unsigned long long mb = std::strtoull(env, &end, 10);
            if (end && *end == '\0') limit = static_cast<size_t>(mb) << 20;
        }
    }
    ~Cache() { release_all(); }

    void release_all() {
        for (auto& blocks : free_blocks) {
            for (void* p : blocks) std::free(p);
            blocks.clear();
        }
        cached_bytes = 0;
    }
};

Cache& cache() {
    static Cache* c = new Cache();  // never destroyed: storages may die during static teardown
    return *c;
}

std::atomic<uint64_t> hits{0}, misses{0};
// Bytes idle in the threads' own caches (counted in cpu_allocator_stats().cached_bytes).
std::atomic<size_t> thread_cached_bytes{0};

// Each thread keeps a few small blocks per class for itself, so that threads allocating many
// small tensors at once (DataLoader workers: a sample's tensors, then the batch) do not queue
// on the shared cache's mutex. Larger blocks go straight to the shared cache.
constexpr size_t kThreadBlockMax = size_t(256) << 10;
constexpr size_t kThreadBlocksPerClass = 4;

struct ThreadCache {
    std::vector<void*> blocks[kNumClasses];
    size_t bytes[kNumClasses] = {};  // the class's block size (set when first used)

    // Hands the blocks to the shared cache (or the system, beyond its limit).
    void flush() {
        Cache& c = cache();
        std::lock_guard<std::mutex> lock(c.mutex);
        for (int i = 0; i < kNumClasses; ++i) {
            for (void* p : blocks[i]) {
                thread_cached_bytes -= bytes[i];
                if (c.cached_bytes + bytes[i] <= c.limit) {
                    c.free_blocks[i].push_back(p);
                    c.cached_bytes += bytes[i];
                } else {
                    std::free(p);
                }
            }
            blocks[i].clear();
        }
    }
    // Frees the blocks to the system.
    void release() {
        for (int i = 0; i < kNumClasses; ++i) {
            for (void* p : blocks[i]) {
                thread_cached_bytes -= bytes[i];
                std::free(p);
            }
            blocks[i].clear();
        }
    }
    ~ThreadCache();
};

// Set once the thread's cache is gone (tensors freed later in the thread's or the program's
// teardown go to the shared cache). A plain bool: it outlives the thread's other locals.
thread_local bool thread_cache_gone = false;

ThreadCache::~ThreadCache() {
    flush();
    thread_cache_gone = true;
}

ThreadCache* thread_cache() {
    if (thread_cache_gone) return nullptr;
    thread_local ThreadCache tc;
    return &tc;
}

}  // namespace

void* cpu_allocate(size_t nbytes) {
    if (nbytes == 0) return nullptr;
    SizeClass sc = size_class(nbytes);
    ThreadCache* tc = sc.bytes <= kThreadBlockMax ? thread_cache() : nullptr;
    if (tc) {
        std::vector<void*>& mine = tc->blocks[sc.index];
        if (!mine.empty()) {
            void* p = mine.back();
            mine.pop_back();
            thread_cached_bytes -= sc.bytes;
            hits.fetch_add(1, std::memory_order_relaxed);
            return p;
        }
    }
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        std::vector<void*>& blocks = c.free_blocks[sc.index];
        if (!blocks.empty()) {
            void* p = blocks.back();
            blocks.pop_back();
            c.cached_bytes -= sc.bytes;
            hits.fetch_add(1, std::memory_order_relaxed);
            return p;
        }
    }
    misses.fetch_add(1, std::memory_order_relaxed);
    void* p = std::aligned_alloc(kAlignment, sc.bytes);
    if (!p) {
        cpu_empty_cache();  // give the cache back and try once more
        p = std::aligned_alloc(kAlignment, sc.bytes);
    }
    EMBER_CHECK(p != nullptr, "out of memory: failed to allocate ", nbytes, " bytes on cpu");
    return p;
}

void cpu_free(void* p, size_t nbytes) {
    if (!p) return;
    SizeClass sc = size_class(nbytes);
    ThreadCache* tc = sc.bytes <= kThreadBlockMax ? thread_cache() : nullptr;
    if (tc) {
        std::vector<void*>& mine = tc->blocks[sc.index];
        if (mine.size() < kThreadBlocksPerClass) {
            if (mine.capacity() == 0) mine.reserve(kThreadBlocksPerClass);
            tc->bytes[sc.index] = sc.bytes;
            mine.push_back(p);
            thread_cached_bytes += sc.bytes;
            return;
        }
    }
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        if (c.cached_bytes + sc.bytes <= c.limit) {
            c.free_blocks[sc.index].push_back(p);
            c.cached_bytes += sc.bytes;
            return;
        }
    }
    std::free(p);
}

CpuAllocatorStats cpu_allocator_stats() {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    return {c.cached_bytes + thread_cached_bytes.load(), c.limit, hits.load(), misses.load()};
}

void cpu_empty_cache() {
    if (ThreadCache* tc = thread_cache()) tc->release();
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.release_all();
}

void set_cpu_cache_limit(size_t bytes) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.limit = bytes;
    if (c.cached_bytes > bytes) c.release_all();
}

}  // namespace ember
