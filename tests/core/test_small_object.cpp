// The per-thread small-object caches: reuse, blocks freed on another thread, thread exit.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "ember/core/small_object.h"
#include "ember/ember.h"

namespace ember {
namespace {

TEST(SmallObject, FreedBlocksAreReusedOnTheSameThread) {
    void* a = detail::small_object_allocate(40);
    detail::small_object_free(a, 40);
    void* b = detail::small_object_allocate(48);  // same 16-byte class as 40
    EXPECT_EQ(a, b);
    detail::small_object_free(b, 48);
}

TEST(SmallObject, LargeAndZeroSizesBypassTheCache) {
    void* big = detail::small_object_allocate(4096);
    ASSERT_NE(big, nullptr);
    detail::small_object_free(big, 4096);
    void* zero = detail::small_object_allocate(0);
    ASSERT_NE(zero, nullptr);
    detail::small_object_free(zero, 0);
    detail::small_object_free(nullptr, 16);
}

TEST(SmallObject, TensorsCrossThreadsAndOutliveTheirThread) {
    // Tensors made on worker threads (as DataLoader workers do) are freed on this one, after
    // the workers' caches are gone; and the reverse.
    std::vector<Tensor> made;
    std::thread worker([&] {
        for (int i = 0; i < 100; ++i) made.push_back(full({3}, i) * 2);
    });
    worker.join();
    for (int i = 0; i < 100; ++i) EXPECT_EQ(made[i][2].item<float>(), 2.f * i);
    made.clear();
    Tensor here = ones({2}).requires_grad_();
    std::thread consumer([t = (here * 3).sum()]() mutable {
        t.backward();
        t = Tensor();
    });
    consumer.join();
    EXPECT_EQ(here.grad().to_vector<float>(), (std::vector<float>{3.f, 3.f}));
}

}  // namespace
}  // namespace ember
