// Histogram buckets with numpy.histogram's rules and PyTorch's trimming (summary.py).
#include "tensorboard/histogram.h"

#include <algorithm>
#include <cmath>

#include "ember/core/error.h"

namespace ember::tensorboard {

namespace {

// numpy.linspace(start, stop, num): i * step + start, with the last edge exactly stop. The
// product is rounded on its own as numpy does (a fused multiply-add would change the edges:
// CMakeLists.txt compiles this file with -ffp-contract=off).
std::vector<double> linspace(double start, double stop, int64_t num) {
    std::vector<double> out(static_cast<size_t>(num));
    const int64_t div = num - 1;
    const double step = (stop - start) / static_cast<double>(div);
    for (int64_t i = 0; i < num; ++i) {
        out[size_t(i)] = static_cast<double>(i) * step + start;
    }
    if (num > 1) out.back() = stop;
    return out;
}

}  // namespace

HistogramBins::HistogramBins(const char* name) : HistogramBins(std::string(name)) {}

HistogramBins::HistogramBins(const std::string& name) {
    EMBER_CHECK(name == "tensorflow", "add_histogram: bins='", name,
                "' is not supported; use \"tensorflow\" (the default), a number of bins or a "
                "vector of edges");
}

HistogramBins::HistogramBins(int count) : HistogramBins(static_cast<int64_t>(count)) {}

HistogramBins::HistogramBins(int64_t count) : count_(count) {
    EMBER_CHECK(count > 0, "add_histogram: the number of bins must be positive, got ", count);
}

HistogramBins::HistogramBins(std::vector<double> edges) : edges_(std::move(edges)) {
    EMBER_CHECK(edges_.size() >= 2, "add_histogram: bin edges need at least 2 values, got ",
                edges_.size());
    for (size_t i = 1; i < edges_.size(); ++i)
        EMBER_CHECK(edges_[i - 1] <= edges_[i],
                    "add_histogram: bin edges must increase monotonically, but edge ", i, " (",
                    edges_[i], ") is below edge ", i - 1, " (", edges_[i - 1], ")");
}

const std::vector<double>& default_histogram_edges() {
    static const std::vector<double> edges = [] {
        std::vector<double> positive;
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.push_back(v);
        std::vector<double> all;
        all.reserve(positive.size() * 2 + 1);
        for (auto it = positive.rbegin(); it != positive.rend(); ++it) all.push_back(-*it);
        all.push_back(0);
        all.insert(all.end(), positive.begin(), positive.end());
        return all;
    }();
    return edges;
}

proto::Histogram make_histogram(const std::vector<double>& values, const HistogramBins& bins,
                                std::optional<int64_t> max_bins) {
    EMBER_CHECK(!values.empty(), "add_histogram: the input has no element");
    const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
    std::vector<double> limits;
    if (bins.is_tensorflow()) {
        limits = default_histogram_edges();
    } else if (bins.count()) {
        double first = *min_it, last = *max_it;
        EMBER_CHECK(std::isfinite(first) && std::isfinite(last),
                    "add_histogram: autodetected range of [", first, ", ", last,
                    "] is not finite");
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        limits = linspace(first, last, *bins.count() + 1);
    } else {
        limits = bins.edges();
    }

    // numpy.histogram: bin i is [limits[i], limits[i+1]), the last bin also holds its right
    // edge; values outside the edges (and NaN) are not counted.
    const size_t num_bins = limits.size() - 1;
    std::vector<double> counts(num_bins, 0.0);
    for (double v : values) {
        if (!(v >= limits.front() && v <= limits.back())) continue;
        size_t bin = static_cast<size_t>(std::upper_bound(limits.begin(), limits.end(), v) -
                                         limits.begin()) - 1;
        if (bin >= num_bins) bin = num_bins - 1;
        counts[bin] += 1;
    }

    if (max_bins && static_cast<int64_t>(num_bins) > *max_bins) {
        EMBER_CHECK(*max_bins > 0, "add_histogram: max_bins must be positive, got ", *max_bins);
        const size_t subsampling = num_bins / static_cast<size_t>(*max_bins);
        const size_t merged = (num_bins + subsampling - 1) / subsampling;
        std::vector<double> merged_counts(merged, 0.0);
        for (size_t i = 0; i < num_bins; ++i) merged_counts[i / subsampling] += counts[i];
        std::vector<double> merged_limits;
        for (size_t i = 0; i + 1 < limits.size(); i += subsampling) merged_limits.push_back(limits[i]);
        merged_limits.push_back(limits.back());
        counts = std::move(merged_counts);
        limits = std::move(merged_limits);
    }

    // Keep the support, plus one empty bucket on the left whose right limit is the support's
    // left edge (TensorBoard stores only right limits).
    const auto first_nonzero = std::find_if(counts.begin(), counts.end(), [](double c) { return c > 0; });
    EMBER_CHECK(first_nonzero != counts.end(), "add_histogram: none of the ", values.size(),
                " values falls inside the bin edges [", limits.front(), ", ", limits.back(), "]");
    const size_t start = static_cast<size_t>(first_nonzero - counts.begin());
    size_t end = counts.size();
    while (counts[end - 1] == 0) --end;
    proto::Histogram h;
    if (start > 0)
        h.bucket.assign(counts.begin() + std::ptrdiff_t(start - 1), counts.begin() + std::ptrdiff_t(end));
    else {
        h.bucket.push_back(0);
        h.bucket.insert(h.bucket.end(), counts.begin(), counts.begin() + std::ptrdiff_t(end));
    }
    h.bucket_limit.assign(limits.begin() + std::ptrdiff_t(start),
                          limits.begin() + std::ptrdiff_t(std::min(end + 1, limits.size())));
    h.min = *min_it;
    h.max = *max_it;
    h.num = static_cast<double>(values.size());
    for (double v : values) {
        h.sum += v;
        h.sum_squares += v * v;
    }
    return h;
}

}  // namespace ember::tensorboard
