// add_histogram's buckets: numpy.histogram over TensorBoard's default edges, a bin count or
// explicit edges, trimmed to the support as torch.utils.tensorboard.summary.make_histogram.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ember/tensorboard/summary_writer.h"
#include "tensorboard/proto.h"

namespace ember::tensorboard {

// TensorBoard's default bucket edges: -1e20..-1e-12, 0, 1e-12..1e20 growing by 1.1 (1549).
const std::vector<double>& default_histogram_edges();

// The HistogramProto of the values (non-empty; errors name add_histogram).
proto::Histogram make_histogram(const std::vector<double>& values, const HistogramBins& bins,
                                std::optional<int64_t> max_bins);

}  // namespace ember::tensorboard
