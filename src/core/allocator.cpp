// The caching CPU allocator (see include/ember/core/allocator.h).
#include "ember/core/allocator.h"

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
    uint64_t hits = 0, misses = 0;

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

}  // namespace

void* cpu_allocate(size_t nbytes) {
    if (nbytes == 0) return nullptr;
    SizeClass sc = size_class(nbytes);
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        std::vector<void*>& blocks = c.free_blocks[sc.index];
        if (!blocks.empty()) {
            void* p = blocks.back();
            blocks.pop_back();
            c.cached_bytes -= sc.bytes;
            ++c.hits;
            return p;
        }
        ++c.misses;
    }
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
    return {c.cached_bytes, c.limit, c.hits, c.misses};
}

void cpu_empty_cache() {
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
