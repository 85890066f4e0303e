// Datasets (torch.utils.data): the map-style Dataset users subclass, a streaming
// IterableDataset, and TensorDataset, Subset, ConcatDataset and random_split.
//
// A Dataset<Sample> answers size() and get(index); Sample is a (data, target) pair of tensors by
// default and may be any type that has a collate function (see collate.h). get() is called
// from several DataLoader worker threads at once, so it must not change shared state.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/core/generator.h"
#include "ember/core/tensor.h"

namespace ember::data {

// A map-style dataset: samples addressed by an index in [0, size()).
template <class Sample = std::pair<Tensor, Tensor>>
class Dataset {
public:
    using sample_type = Sample;
    virtual ~Dataset() = default;
    virtual int64_t size() const = 0;
    virtual Sample get(int64_t index) const = 0;
};

// A streaming dataset: each pass calls reset() once, then next() until it returns nullopt.
// Samplers and shuffling do not apply; a DataLoader reads it from one thread, in order.
template <class Sample = std::pair<Tensor, Tensor>>
class IterableDataset {
public:
    using sample_type = Sample;
    virtual ~IterableDataset() = default;
    virtual void reset() = 0;
    virtual std::optional<Sample> next() = 0;
};

template <class Sample>
using DatasetPtr = std::shared_ptr<const Dataset<Sample>>;

// A dataset as a shared pointer: an lvalue is referenced (the caller keeps it alive, as Python
// keeps a reference), an rvalue is moved into shared ownership, a shared_ptr is shared.
template <class T>
inline constexpr bool is_shared_ptr_v = false;
template <class T>
inline constexpr bool is_shared_ptr_v<std::shared_ptr<T>> = true;

template <class D>
    requires(!is_shared_ptr_v<std::remove_cvref_t<D>>)
auto hold_dataset(D&& dataset) {
    using T = std::remove_cvref_t<D>;
    using Sample = typename T::sample_type;
    if constexpr (std::is_lvalue_reference_v<D>)
        return DatasetPtr<Sample>(std::shared_ptr<const void>(), &dataset);
    else
        return DatasetPtr<Sample>(std::make_shared<const T>(std::forward<D>(dataset)));
}
template <class T>
DatasetPtr<typename T::sample_type> hold_dataset(std::shared_ptr<T> dataset) {
    return dataset;
}

namespace detail {
[[noreturn]] void index_out_of_range(const char* who, int64_t index, int64_t size);
// Checks an index against a dataset size (negative indices are not allowed), naming `who`.
inline void check_index(const char* who, int64_t index, int64_t size) {
    if (index < 0 || index >= size) index_out_of_range(who, index, size);
}
// ConcatDataset's index mapping: (member, index inside it); negative indices count from the end.
std::pair<size_t, int64_t> locate_concat(const std::vector<int64_t>& cumulative_sizes,
                                         int64_t index);
// random_split: the lengths (integers or fractions), then the permuted index lists.
std::vector<std::vector<int64_t>> split_indices(int64_t n, const std::vector<double>& lengths,
                                                std::optional<Generator> generator);
// TensorDataset's checks: at least one tensor, each with a dim, all sharing size(0).
void check_tensor_dataset(const Tensor* tensors, size_t count);
}  // namespace detail

// A TensorDataset's sample: a (data, target) pair for two tensors (Dataset's default sample),
// else one tensor per input in a std::array (tuple-like, as PyTorch returns a tuple).
template <size_t N>
using TensorSample = std::conditional_t<N == 2, std::pair<Tensor, Tensor>, std::array<Tensor, N>>;

// torch.utils.data.TensorDataset: sample i is (tensors[0][i], tensors[1][i], ...) for tensors
// sharing size(0). `TensorDataset ds(x, y)` serves (x[i], y[i]) pairs; `TensorDataset ds(x)` or
// `TensorDataset ds(x, y, w)` serve std::arrays of one or three tensors.
template <size_t N = 2>
class TensorDataset : public Dataset<TensorSample<N>> {
public:
    template <class... T>
        requires(sizeof...(T) == N && (std::convertible_to<T, Tensor> && ...))
    explicit TensorDataset(T&&... tensors) : tensors_{Tensor(std::forward<T>(tensors))...} {
        detail::check_tensor_dataset(tensors_.data(), N);
    }

    int64_t size() const override { return tensors_[0].size(0); }
    TensorSample<N> get(int64_t index) const override {
        detail::check_index("TensorDataset", index, size());
        if constexpr (N == 2) {
            return {tensors_[0][index], tensors_[1][index]};
        } else {
            TensorSample<N> sample;
            for (size_t k = 0; k < N; ++k) sample[k] = tensors_[k][index];
            return sample;
        }
    }
    const std::array<Tensor, N>& tensors() const { return tensors_; }

private:
    std::array<Tensor, N> tensors_;
};
template <class... T>
TensorDataset(T&&...) -> TensorDataset<sizeof...(T)>;

// subset.get(i) == dataset.get(indices[i]).
template <class Sample>
class Subset : public Dataset<Sample> {
public:
    template <class D>
    Subset(D&& dataset, std::vector<int64_t> indices)
        : dataset_(hold_dataset(std::forward<D>(dataset))), indices_(std::move(indices)) {}

    int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
    Sample get(int64_t index) const override {
        detail::check_index("Subset", index, size());
        return dataset_->get(indices_[static_cast<size_t>(index)]);
    }
    const std::vector<int64_t>& indices() const { return indices_; }
    const DatasetPtr<Sample>& dataset() const { return dataset_; }

private:
    DatasetPtr<Sample> dataset_;
    std::vector<int64_t> indices_;
};
template <class D>
Subset(D&&, std::vector<int64_t>) -> Subset<typename std::remove_cvref_t<D>::sample_type>;

// The datasets one after another; get(-1) is the last sample.
template <class Sample>
class ConcatDataset : public Dataset<Sample> {
public:
    explicit ConcatDataset(std::vector<DatasetPtr<Sample>> datasets)
        : datasets_(std::move(datasets)) {
        int64_t total = 0;
        for (const auto& d : datasets_) cumulative_sizes_.push_back(total += d->size());
        if (datasets_.empty()) detail::locate_concat(cumulative_sizes_, 0);  // throws
    }
    template <class... D>
        requires(sizeof...(D) >= 2)
    explicit ConcatDataset(D&&... datasets)
        : ConcatDataset(std::vector<DatasetPtr<Sample>>{hold_dataset(std::forward<D>(datasets))...}) {}

    int64_t size() const override {
        return cumulative_sizes_.empty() ? 0 : cumulative_sizes_.back();
    }
    Sample get(int64_t index) const override {
        auto [member, inner] = detail::locate_concat(cumulative_sizes_, index);
        return datasets_[member]->get(inner);
    }
    const std::vector<int64_t>& cumulative_sizes() const { return cumulative_sizes_; }

private:
    std::vector<DatasetPtr<Sample>> datasets_;
    std::vector<int64_t> cumulative_sizes_;
};
template <class D, class... Rest>
ConcatDataset(D&&, Rest&&...) -> ConcatDataset<typename std::remove_cvref_t<D>::sample_type>;

// torch.utils.data.random_split: `lengths` are sample counts summing to dataset.size(), or
// fractions summing to 1 (floors, then the remainder one by one from the first split). The
// permutation is randperm(n, generator), the default generator when none is given, so the
// splits equal PyTorch's for the same seed.
template <class D>
auto random_split(D&& dataset, const std::vector<double>& lengths,
                  std::optional<Generator> generator = std::nullopt) {
    using Sample = typename std::remove_cvref_t<D>::sample_type;
    DatasetPtr<Sample> held = hold_dataset(std::forward<D>(dataset));
    std::vector<Subset<Sample>> splits;
    for (auto& indices : detail::split_indices(held->size(), lengths, std::move(generator)))
        splits.emplace_back(held, std::move(indices));
    return splits;
}

}  // namespace ember::data
