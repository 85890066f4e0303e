// Per-thread caches of small freed objects (TensorImpl, StorageImpl, autograd metadata and
// nodes): every op allocates several of them and a backward pass frees a whole graph of them at
// once, a pattern where the system allocator spends more time than the op's arithmetic.
// Freed blocks are kept per size class in a per-thread list (up to a bound) and handed out
// again; a block may be freed on another thread than the one that allocated it.
#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace ember {
namespace detail {

void* small_object_allocate(size_t bytes);
void small_object_free(void* p, size_t bytes);

}  // namespace detail

// Derive from it to allocate a class (and its subclasses) through the caches.
struct SmallObject {
    static void* operator new(size_t bytes) { return detail::small_object_allocate(bytes); }
    static void operator delete(void* p, size_t bytes) { detail::small_object_free(p, bytes); }
};

// A standard allocator over the caches (for std::allocate_shared).
template <class T>
struct SmallObjectAllocator {
    using value_type = T;
    SmallObjectAllocator() = default;
    template <class U>
    SmallObjectAllocator(const SmallObjectAllocator<U>&) {}  // NOLINT
    T* allocate(size_t n) { return static_cast<T*>(detail::small_object_allocate(n * sizeof(T))); }
    void deallocate(T* p, size_t n) { detail::small_object_free(p, n * sizeof(T)); }
    template <class U>
    bool operator==(const SmallObjectAllocator<U>&) const {
        return true;
    }
};

}  // namespace ember
