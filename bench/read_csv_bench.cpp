// Times ember::io::read_csv on one file and prints one JSON line: seconds (best of the runs),
// rows, columns, MB/s and the process's peak RSS. Run by bench/bench_csv.py.
//
//   read_csv_bench FILE [RUNS] [THREADS]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "ember/ember.h"

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
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const ember::io::CsvTable table = ember::io::read_csv(path);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, seconds);
        rows = table.num_rows();
        columns = table.num_columns();
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    std::printf("{\"seconds\": %.4f, \"rows\": %lld, \"columns\": %lld, \"mb_per_s\": %.1f, "
                "\"peak_rss_mb\": %.1f, \"threads\": %d}\n",
                best, static_cast<long long>(rows), static_cast<long long>(columns), mb / best,
                static_cast<double>(usage.ru_maxrss) / 1024.0, ember::get_num_threads());
    return 0;
}
