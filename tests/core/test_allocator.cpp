// The caching CPU allocator: freed blocks are reused, the idle cache respects its limit.
#include "support/golden.h"

using namespace ember;

TEST(Allocator, FreedBlocksAreReused) {
    cpu_empty_cache();
    void* first = nullptr;
    {
        Tensor t = empty({1000, 1000});
        first = t.data_ptr();
        EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
    }
    CpuAllocatorStats before = cpu_allocator_stats();
    EXPECT_GE(before.cached_bytes, size_t(4000000));
    Tensor again = empty({1000, 1000});
    EXPECT_EQ(again.data_ptr(), first);  // the same block came back
    CpuAllocatorStats after = cpu_allocator_stats();
    EXPECT_EQ(after.cache_hits, before.cache_hits + 1);
    EXPECT_LT(after.cached_bytes, before.cached_bytes);
}

TEST(Allocator, SlightlyDifferentSizesShareAClass) {
    cpu_empty_cache();
    void* p = nullptr;
    {
        Tensor t = empty({1000});  // 4000 bytes, rounded up to its class
        p = t.data_ptr();
    }
    Tensor u = empty({990});  // 3960 bytes: same class
    EXPECT_EQ(u.data_ptr(), p);
}

TEST(Allocator, LimitAndEmptyCache) {
    cpu_empty_cache();
    size_t saved = cpu_allocator_stats().cache_limit;
    set_cpu_cache_limit(1 << 20);
    { Tensor big = empty({1 << 20}); }  // 4 MiB: above the limit, freed at once
    EXPECT_EQ(cpu_allocator_stats().cached_bytes, 0u);
    { Tensor small = empty({1000}); }
    EXPECT_GT(cpu_allocator_stats().cached_bytes, 0u);
    cpu_empty_cache();
    EXPECT_EQ(cpu_allocator_stats().cached_bytes, 0u);
    set_cpu_cache_limit(saved);
    EXPECT_EQ(cpu_allocator_stats().cache_limit, saved);
}

TEST(Allocator, ValuesSurviveReuse) {
    // A reused block is uninitialised for empty(), but zeros() and friends still fill it.
    { Tensor t = full({512}, 7.f); }
    Tensor z = zeros({512});
    EXPECT_EQ(z.sum().item<double>(), 0.0);
}
