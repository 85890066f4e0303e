// Intra-op parallelism: one OpenMP pool shared with OpenBLAS (DESIGN decision 7).
//
// parallel_for splits [begin, end) into at most get_num_threads() contiguous pieces of at
// least `grain_size` elements and runs f(piece_begin, piece_end) on each. Nested calls run
// serially. Kernels must give identical results whatever the number of threads: a reduction
// splits its work into fixed chunks that do not depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>

namespace ember {

void set_num_threads(int n);
int get_num_threads();
bool in_parallel_region();

// Grain below which elementwise kernels stay on one thread (thread start-up costs more).
inline constexpr int64_t kGrainSize = 32768;

namespace detail {
void parallel_run(int64_t begin, int64_t end, int64_t grain_size,
                  const std::function<void(int64_t, int64_t)>& f);
}

template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain_size, const F& f) {
    if (end <= begin) return;
    if (end - begin <= grain_size || in_parallel_region() || get_num_threads() == 1) {
        f(begin, end);
        return;
    }
    detail::parallel_run(begin, end, grain_size, f);
}

// Runs f(i) for every i in [begin, end), handing the indices to the threads one at a time: for
// a few large independent tasks (a convolution's images), where a static split waits for its
// slowest thread whenever one is delayed. Nested calls run serially.
void parallel_for_each(int64_t begin, int64_t end, const std::function<void(int64_t)>& f);

// Runs with one thread for intra-op work while alive (DataLoader workers use it).
class SingleThreadGuard {
public:
    SingleThreadGuard();
    ~SingleThreadGuard();
    SingleThreadGuard(const SingleThreadGuard&) = delete;
    SingleThreadGuard& operator=(const SingleThreadGuard&) = delete;

private:
    bool previous_;
};

}  // namespace ember
