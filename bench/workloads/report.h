// What every workload program (bench/workloads/*.cpp, ember's and LibTorch's alike) shares: its
// command line, a clock, and the JSON lines it prints for bench/workloads/run.py. Depends on
// neither ember nor LibTorch, so both sides measure and report the same way.
//
//   <program> --threads T [--reps N] [--quick]
//
// Each program prints one JSON object per line and nothing else on stdout:
//   {"workload": "W1 linreg", "metric": "100 epochs, DataLoader", "unit": "ms",
//    "better": "lower", "samples": [...]}             (a measured figure, one sample per rep)
//   {"workload": "W1 linreg", "check": "final weight", "value": 2.0007}
//                                                       (a result both sides should agree on)
// and, last, `peak_rss_kib N` on stderr (emit_peak_rss).
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace bench {

struct Args {
    int threads = 1;
    int reps = 5;       // timed repetitions (each program says what one repetition is)
    bool quick = false;  // a short smoke run (fewer repetitions and steps) for tests
};

inline Args parse_args(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        const bool has_value = i + 1 < argc;
        if (!std::strcmp(argv[i], "--threads") && has_value) {
            args.threads = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--reps") && has_value) {
            args.reps = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--quick")) {
            args.quick = true;
        } else {
            std::fprintf(stderr, "usage: %s --threads T [--reps N] [--quick]\n", argv[0]);
            std::exit(2);
        }
    }
    if (args.threads < 1 || args.reps < 1) {
        std::fprintf(stderr, "%s: --threads and --reps must be at least 1\n", argv[0]);
        std::exit(2);
    }
    if (args.quick) args.reps = 1;
    return args;
}

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Times fn() once, in the given unit ("s", "ms" or "us").
template <class Fn>
double time_it(Fn&& fn, const char* unit = "ms") {
    const auto start = Clock::now();
    fn();
    const double s = seconds_since(start);
    return !std::strcmp(unit, "s") ? s : !std::strcmp(unit, "us") ? s * 1e6 : s * 1e3;
}

inline std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

// A measured figure: one sample per repetition. better: "lower" (times) or "higher" (rates).
inline void emit(const std::string& workload, const std::string& metric, const std::string& unit,
                 const std::vector<double>& samples, const std::string& better = "lower") {
    std::string line = "{\"workload\": " + json_string(workload) +
                       ", \"metric\": " + json_string(metric) + ", \"unit\": " + json_string(unit) +
                       ", \"better\": " + json_string(better) + ", \"samples\": [";
    for (size_t i = 0; i < samples.size(); ++i) {
        char number[64];
        std::snprintf(number, sizeof number, "%s%.9g", i ? ", " : "", samples[i]);
        line += number;
    }
    std::printf("%s]}\n", line.c_str());
    std::fflush(stdout);
}

// A result both implementations should agree on (a final loss, an accuracy, a weight).
inline void emit_check(const std::string& workload, const std::string& what, double value) {
    std::printf("{\"workload\": %s, \"check\": %s, \"value\": %.9g}\n", json_string(workload).c_str(),
                json_string(what).c_str(), value);
    std::fflush(stdout);
}

// The process's peak resident set size, on stderr as `peak_rss_kib N`: the last thing a program
// does, so that run.py compares the two sides' memory.
inline void emit_peak_rss() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::fprintf(stderr, "peak_rss_kib %ld\n", usage.ru_maxrss);
}

}  // namespace bench
