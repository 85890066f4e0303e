// The TensorBoard workload of ember_bench_core: add_scalar on the training thread (the records
// go to the writer's background thread): the calls alone (with a number or a one-element
// tensor; the flush that ends each iteration untimed), and the records per second sustained
// until they are on disk (the flush timed). LibTorch has no writer to compare.
#include <ember/ember.h>

#include <filesystem>

#include "bench_core.h"

namespace bench {

void tensorboard_add_scalar(benchmark::State& state, bool tensor_value, bool time_flush) {
    set_threads(1);
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / "ember-bench-tensorboard";
    std::filesystem::remove_all(dir);
    constexpr int64_t kRecords = 10000;
    {
        ember::tensorboard::SummaryWriter writer(dir.string());
        const ember::Tensor loss = ember::full({}, 0.25);
        int64_t step = 0;
        for (auto _ : state) {
            for (int64_t i = 0; i < kRecords; ++i, ++step) {
                if (tensor_value) writer.add_scalar("Loss", loss, step);
                else writer.add_scalar("Loss", 0.25, step);
            }
            if (!time_flush) state.PauseTiming();
            writer.flush();
            if (!time_flush) state.ResumeTiming();
        }
    }
    std::filesystem::remove_all(dir);
    report_rate(state, "records/s", static_cast<double>(kRecords));
}

}  // namespace bench
