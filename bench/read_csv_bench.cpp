// Times ember::io::read_csv of one file followed by table.to_tensor of its numeric columns
// (int64 if all are, else float64; the covtype workload: every column int64) and prints one
// JSON line: seconds of the two together (best of the runs), rows, columns, MB/s, the tensor's
// size and the process's peak RSS. Run by bench/bench_csv.py.
//
//   read_csv_bench FILE [RUNS] [THREADS]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "ember/ember.h"

// The numeric columns side by side: int64 if they all are, else float64.
ember::Tensor numeric_tensor(const ember::io::CsvTable& table) {
    std::vector<std::string> numeric;
    bool all_int = true;
    for (const std::string& name : table.column_names()) {
        const ember::io::CsvType type = table.type(name);
        if (type != ember::io::CsvType::Int64 && type != ember::io::CsvType::Float64) continue;
        numeric.push_back(name);
        all_int = all_int && type == ember::io::CsvType::Int64;
    }
    return table.to_tensor(numeric, all_int ? ember::DType::Int64 : ember::DType::Float64);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: read_csv_bench FILE [RUNS] [THREADS]\n";
        return 2;
    }
    const std::string path = argv[1];
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    if (argc > 3) ember::set_num_threads(std::atoi(argv[3]));
    double best = 1e30;
    int64_t rows = 0, columns = 0;
    double tensor_mb = 0;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const ember::io::CsvTable table = ember::io::read_csv(path);
        const ember::Tensor x = numeric_tensor(table);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, seconds);
        rows = table.num_rows();
        columns = table.num_columns();
        tensor_mb = static_cast<double>(x.nbytes()) / 1e6;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    std::printf("{\"seconds\": %.4f, \"rows\": %lld, \"columns\": %lld, \"mb_per_s\": %.1f, "
                "\"tensor_mb\": %.1f, \"peak_rss_mb\": %.1f, \"threads\": %d}\n",
                best, static_cast<long long>(rows), static_cast<long long>(columns), mb / best,
                tensor_mb, static_cast<double>(usage.ru_maxrss) / 1024.0, ember::get_num_threads());
    return 0;
}
