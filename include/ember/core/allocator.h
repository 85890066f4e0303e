// The CPU allocator behind every storage: 64-byte aligned blocks, cached for reuse.
//
// Training loops allocate the same sizes every step; handing a freed block back to the OS and
// page-faulting it in again on the next step costs more than the kernels that use it
// (DESIGN section 4). Freed blocks are kept in size classes (four per power of two, so at most
// 25% slack) and reused; the cache holds at most `cache_limit` idle bytes (default 2 GiB, or
// EMBER_CPU_CACHE_LIMIT_MB from the environment) and frees beyond that. Each thread also keeps
// up to four idle blocks per class of at most 256 KiB for itself (no lock to take: DataLoader
// workers allocate many small tensors at once); they go to the shared cache when the thread
// ends.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ember {

void* cpu_allocate(size_t nbytes);
void cpu_free(void* p, size_t nbytes);

struct CpuAllocatorStats {
    size_t cached_bytes = 0;    // idle blocks held for reuse
    size_t cache_limit = 0;
    uint64_t cache_hits = 0;    // allocations served from the cache
    uint64_t cache_misses = 0;  // allocations that went to the system
};
CpuAllocatorStats cpu_allocator_stats();
// Returns every idle cached block to the system (the shared cache's and the calling thread's).
void cpu_empty_cache();
void set_cpu_cache_limit(size_t bytes);

}  // namespace ember
