// TensorDataset, ConcatDataset's index mapping and random_split's lengths and permutation.
#include "ember/data/dataset.h"

#include <algorithm>
#include <cmath>

#include "ember/core/error.h"
#include "ember/core/warning.h"
#include "ember/ops/random.h"

namespace ember::data {

TensorDataset::TensorDataset(Tensor data, Tensor target)
    : data_(std::move(data)), target_(std::move(target)) {
    EMBER_CHECK(data_.dim() > 0 && target_.dim() > 0,
                "TensorDataset: tensors need at least one dim, got data of ", data_.dim(),
                " dims and target of ", target_.dim());
    EMBER_CHECK(data_.size(0) == target_.size(0),
                "TensorDataset: size mismatch between tensors: data has ", data_.size(0),
                " samples, target has ", target_.size(0));
}

int64_t TensorDataset::size() const { return data_.size(0); }

std::pair<Tensor, Tensor> TensorDataset::get(int64_t index) const {
    detail::check_index("TensorDataset", index, size());
    return {data_[index], target_[index]};
}

namespace detail {

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
        int64_t sum = 0;
        for (double l : lengths) {
            EMBER_CHECK(l >= 0 && l == std::floor(l) && sum + static_cast<int64_t>(l) <= n,
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
