// parallel_for on OpenMP, and the thread-count settings (which OpenBLAS's OpenMP build follows).
#include "ember/core/parallel.h"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <mutex>

#include "ember/core/error.h"

namespace ember {

namespace {
int g_num_threads = 0;  // 0: not set yet (all cores)
thread_local bool t_in_parallel = false;
thread_local bool t_single_thread = false;
}  // namespace

void set_num_threads(int n) {
    EMBER_CHECK(n > 0, "set_num_threads: expected a positive number of threads, got ", n);
    g_num_threads = n;
    omp_set_num_threads(n);
}

int get_num_threads() {
    if (t_single_thread) return 1;
    if (g_num_threads == 0) g_num_threads = omp_get_max_threads();
    return g_num_threads;
}

bool in_parallel_region() { return t_in_parallel || omp_in_parallel(); }

void parallel_for_each(int64_t begin, int64_t end, const std::function<void(int64_t)>& f) {
    if (end <= begin) return;
    const int threads = static_cast<int>(
        std::min<int64_t>(in_parallel_region() ? 1 : get_num_threads(), end - begin));
    if (threads <= 1) {
        for (int64_t i = begin; i < end; ++i) f(i);
        return;
    }
    std::exception_ptr error;
    std::mutex error_mutex;
#pragma omp parallel num_threads(threads)
    {
        t_in_parallel = true;
#pragma omp for schedule(dynamic, 1)
        for (int64_t i = begin; i < end; ++i) {
            try {
                f(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
            }
        }
        t_in_parallel = false;
    }
    if (error) std::rethrow_exception(error);
}

namespace detail {

void parallel_run(int64_t begin, int64_t end, int64_t grain_size,
                  const std::function<void(int64_t, int64_t)>& f) {
    int64_t n = end - begin;
    int64_t max_tasks = (n + grain_size - 1) / std::max<int64_t>(grain_size, 1);
    int threads = static_cast<int>(std::min<int64_t>(get_num_threads(), max_tasks));
    std::exception_ptr error;
    std::mutex error_mutex;
#pragma omp parallel num_threads(threads)
    {
        int tid = omp_get_thread_num();
        int nt = omp_get_num_threads();
        int64_t chunk = (n + nt - 1) / nt;
        int64_t b = begin + tid * chunk;
        int64_t e = std::min(end, b + chunk);
        if (b < e) {
            t_in_parallel = true;
            try {
                f(b, e);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
            }
            t_in_parallel = false;
        }
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace detail

SingleThreadGuard::SingleThreadGuard() : previous_(t_single_thread) { t_single_thread = true; }
SingleThreadGuard::~SingleThreadGuard() { t_single_thread = previous_; }

}  // namespace ember
