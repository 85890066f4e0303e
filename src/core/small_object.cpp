// The per-thread small-object caches (see include/ember/core/small_object.h).
#include "ember/core/small_object.h"

#include <cstdint>

namespace ember::detail {

namespace {

constexpr size_t kGranule = 16;
constexpr size_t kMaxBytes = 512;  // larger objects go straight to operator new
constexpr size_t kClasses = kMaxBytes / kGranule;
// Blocks kept per class and thread: enough for the graph of a few thousand ops, and a bound on
// what an idle thread holds (at most 4096 x 512 B per class).
constexpr uint32_t kMaxCached = 4096;

struct FreeBlock {
    FreeBlock* next;
};

struct ThreadCache {
    FreeBlock* heads[kClasses] = {};
    uint32_t counts[kClasses] = {};
    ~ThreadCache();
};

// The cache's state on this thread. Trivially destructible, so it stays readable after the
// cache is destroyed at thread exit: blocks allocated or freed then bypass the cache.
enum class CacheState : unsigned char { Unused, Alive, Destroyed };
thread_local CacheState t_state = CacheState::Unused;
thread_local ThreadCache t_cache;

// The cache, constructed on first use; null once destroyed.
ThreadCache* cache() {
    if (t_state == CacheState::Alive) return &t_cache;
    if (t_state == CacheState::Destroyed) return nullptr;
    t_state = CacheState::Alive;
    return &t_cache;  // first odr-use constructs it
}

ThreadCache::~ThreadCache() {
    t_state = CacheState::Destroyed;
    for (size_t c = 0; c < kClasses; ++c)
        while (FreeBlock* b = heads[c]) {
            heads[c] = b->next;
            ::operator delete(b);
        }
}

size_t class_of(size_t bytes) { return (bytes + kGranule - 1) / kGranule - 1; }

}  // namespace

void* small_object_allocate(size_t bytes) {
    if (bytes == 0 || bytes > kMaxBytes) return ::operator new(bytes);
    const size_t c = class_of(bytes);
    if (ThreadCache* tc = cache())
        if (FreeBlock* b = tc->heads[c]) {
            tc->heads[c] = b->next;
            --tc->counts[c];
            return b;
        }
    return ::operator new((c + 1) * kGranule);
}

void small_object_free(void* p, size_t bytes) {
    if (!p) return;
    if (bytes == 0 || bytes > kMaxBytes) return ::operator delete(p);
    const size_t c = class_of(bytes);
    ThreadCache* tc = cache();
    if (!tc || tc->counts[c] >= kMaxCached) return ::operator delete(p);
    auto* b = static_cast<FreeBlock*>(p);
    b->next = tc->heads[c];
    tc->heads[c] = b;
    ++tc->counts[c];
}

}  // namespace ember::detail
