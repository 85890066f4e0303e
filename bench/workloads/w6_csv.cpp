// W6 csv, ember's side: ember::io::read_csv of the covtype-shaped file (581,012 rows x 55
// integer columns, bench/make_covtype.py), then the table as an int64 tensor (the columns' shared
// block: no copy, as torch.from_numpy(df.to_numpy())) and as a float32 tensor (a copy, as
// torch.tensor(df.values, dtype=torch.float32)). 1 untimed read warms the page cache, then 1
// warm-up and --reps timed repetitions (default 7). The file: $EMBER_BENCH_CSV, made by run.py.
#include <ember/ember.h>

#include <cstdlib>
#include <optional>
#include <filesystem>
#include <string>
#include <vector>

#include "report.h"

int main(int argc, char** argv) {
    bench::Args args = bench::parse_args(argc, argv);
    if (!args.quick && args.reps == 5) args.reps = 7;  // the guide's count unless told otherwise
    ember::set_num_threads(args.threads);
    const char* path_env = std::getenv("EMBER_BENCH_CSV");
    const std::string path = path_env ? path_env : "/tmp/covtype.csv";
    if (!std::filesystem::exists(path)) {
        std::fprintf(stderr, "w6_csv: %s not found (bench/make_covtype.py writes it)\n",
                     path.c_str());
        return 1;
    }
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    const char* workload = "W6 csv";

    std::vector<double> read_s, as_int64_s, as_float32_s, total_mb_s;
    int64_t rows = 0;
    double checksum = 0;
    for (int rep = -2; rep < args.reps; ++rep) {  // -2: page cache, -1: warm-up
        ember::Tensor ints, floats;
        std::optional<ember::io::CsvTable> table;
        const double read = bench::time_it([&] { table.emplace(ember::io::read_csv(path)); }, "s");
        const double as_int64 = bench::time_it([&] { ints = table->to_tensor({}, ember::int64); }, "s");
        const double as_float32 = bench::time_it([&] { floats = table->to_tensor({}, ember::float32); }, "s");
        if (rep < 0) continue;
        read_s.push_back(read);
        as_int64_s.push_back(as_int64);
        as_float32_s.push_back(as_float32);
        total_mb_s.push_back(mb / (read + as_float32));
        rows = table->num_rows();
        checksum = static_cast<double>(ints.sum().item<int64_t>());  // exact on both sides
    }
    bench::emit(workload, "read_csv", "s", read_s);
    bench::emit(workload, "table to int64 tensor (no copy)", "s", as_int64_s);
    bench::emit(workload, "table to float32 tensor (copy)", "s", as_float32_s);
    bench::emit(workload, "read_csv + float32 tensor", "MB/s", total_mb_s, "higher");
    bench::emit_check(workload, "rows", static_cast<double>(rows));
    bench::emit_check(workload, "sum of all values", checksum);
    bench::emit_peak_rss();
    return 0;
}
