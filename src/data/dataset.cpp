// TensorDataset's checks, ConcatDataset's index mapping and random_split's lengths and permutation.
#include "ember/data/dataset.h"

#include <algorithm>
#include <cmath>

#include "ember/core/error.h"
#include "ember/core/warning.h"
#include "ember/ops/random.h"
#include "ops/util.h"

namespace ember::data {

namespace detail {

void check_tensor_dataset(const Tensor* tensors, size_t count) {
    EMBER_CHECK(count > 0, "TensorDataset: at least one tensor is required");
    for (size_t k = 0; k < count; ++k) {
        tensors[k].check_defined("TensorDataset");
        EMBER_CHECK(tensors[k].dim() > 0, "TensorDataset: tensor ", k,
                    " has no dim to index samples along: ", ember::detail::describe(tensors[k]));
        EMBER_CHECK(tensors[k].size(0) == tensors[0].size(0),
                    "TensorDataset: size mismatch between tensors: tensor 0 has ",
                    tensors[0].size(0), " samples, tensor ", k, " has ", tensors[k].size(0));
    }
}

void index_out_of_range(const char* who, int64_t index, int64_t size) {
    EMBER_ERROR(who, ": index ", index, " is out of range for a dataset of size ", size);
}

std::pair<size_t, int64_t> locate_concat(const std::vector<int64_t>& cumulative_sizes,
                                         int64_t index) {
    EMBER_CHECK(!cumulative_sizes.empty(), "ConcatDataset: datasets should not be an empty list");
    const int64_t total = cumulative_sizes.back();
    if (index < 0) {
        EMBER_CHECK(-index <= total, "ConcatDataset: absolute value of index should not exceed "
                                     "dataset length (index ", index, ", length ", total, ")");
        index += total;
    }
    EMBER_CHECK(index < total, "ConcatDataset: index ", index,
                " is out of range for a dataset of size ", total);
    const auto it = std::upper_bound(cumulative_sizes.begin(), cumulative_sizes.end(), index);
    const size_t member = static_cast<size_t>(it - cumulative_sizes.begin());
    const int64_t start = member == 0 ? 0 : cumulative_sizes[member - 1];
    return {member, index - start};
}

std::vector<std::vector<int64_t>> split_indices(int64_t n, const std::vector<double>& lengths,
                                                std::optional<Generator> generator) {
    double total = 0;
    for (double l : lengths) total += l;
    std::vector<int64_t> counts;
    // Fractions when they sum to 1 (math.isclose), as PyTorch decides.
    if (std::abs(total - 1.0) <= 1e-9 * std::max(1.0, std::abs(total)) && total <= 1.0) {
        int64_t assigned = 0;
        for (double frac : lengths) {
            EMBER_CHECK(frac >= 0 && frac <= 1, "random_split: fraction ", frac,
                        " is not between 0 and 1");
            counts.push_back(static_cast<int64_t>(std::floor(static_cast<double>(n) * frac)));
            assigned += counts.back();
        }
        for (int64_t i = 0; i < n - assigned; ++i)
            ++counts[static_cast<size_t>(i) % counts.size()];
        for (size_t i = 0; i < counts.size(); ++i)
            if (counts[i] == 0)
                warn(::ember::detail::str_cat("Length of split at index ", i,
                                " is 0. This might result in an empty dataset."));
    } else {
        // PyTorch accepts a negative length when the sum still matches, and then hands out
        // splits whose sizes differ from the lengths asked for.
        for (size_t i = 0; i < lengths.size(); ++i)
            EMBER_CHECK(!(lengths[i] < 0), "random_split: length ", lengths[i], " at index ", i,
                        " is negative");
        int64_t sum = 0;
        for (double l : lengths) {
            EMBER_CHECK(l == std::floor(l) && sum + static_cast<int64_t>(l) <= n,
                        "random_split: Sum of input lengths does not equal the length of the "
                        "input dataset (", n, ")");
            counts.push_back(static_cast<int64_t>(l));
            sum += counts.back();
        }
        EMBER_CHECK(sum == n, "random_split: Sum of input lengths (", sum,
                    ") does not equal the length of the input dataset (", n, ")");
    }
    const Tensor perm = randperm(n, {}, std::move(generator));
    const int64_t* p = perm.data_ptr<int64_t>();
    std::vector<std::vector<int64_t>> splits;
    int64_t offset = 0;
    for (int64_t count : counts) {
        splits.emplace_back(p + offset, p + offset + count);
        offset += count;
    }
    return splits;
}

}  // namespace detail
}  // namespace ember::data
