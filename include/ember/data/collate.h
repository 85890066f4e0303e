// default_collate: a list of samples to one batch, recursively, as PyTorch's default_collate.
//
// Tensors are stacked along a new first dim (equal shapes required); numbers become a 1-D
// tensor (any integer type -> int64 and double -> float64, like Python ints and floats;
// float -> float32, bool -> bool); strings stay a vector of strings; pairs, tuples and
// std::arrays keep their shape with each field collated; vectors (equal lengths) are
// transposed and each position collated; maps keep their keys with each value collated.
// Other sample types need a collate_fn. Collate<T>::type is the batch type of samples T.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ember/core/dtype.h"
#include "ember/core/tensor.h"

namespace ember::data {

template <class T>
struct Collate;  // no default collation for this sample type: give the DataLoader a collate_fn

namespace detail {
Tensor collate_tensors(const std::vector<const Tensor*>& items);
Tensor collate_integers(const std::vector<int64_t>& values);
Tensor collate_floats(const std::vector<double>& values, DType dtype);
Tensor collate_bools(const std::vector<bool>& values);
// Throws the "equal size" error for a vector field of unequal lengths.
[[noreturn]] void collate_size_mismatch(size_t first, size_t other, size_t at);
[[noreturn]] void collate_missing_key(size_t at);

template <class T, class F>
auto project(const std::vector<const T*>& items, F field) {
    using U = std::remove_cvref_t<decltype(field(*items[0]))>;
    std::vector<const U*> out;
    out.reserve(items.size());
    for (const T* item : items) out.push_back(&field(*item));
    return out;
}
}  // namespace detail

template <class T>
using collate_t = typename Collate<T>::type;

// The default collate function over whole samples.
template <class T>
collate_t<T> default_collate(const std::vector<T>& batch) {
    std::vector<const T*> items;
    items.reserve(batch.size());
    if constexpr (std::is_same_v<T, bool>) {
        // vector<bool> packs bits: its elements have no addresses to point at.
        const std::unique_ptr<bool[]> copy(new bool[batch.size()]);
        std::copy(batch.begin(), batch.end(), copy.get());
        for (size_t i = 0; i < batch.size(); ++i) items.push_back(&copy[i]);
        return Collate<T>::apply(items);
    } else {
        for (const T& sample : batch) items.push_back(&sample);
        return Collate<T>::apply(items);
    }
}

template <>
struct Collate<Tensor> {
    using type = Tensor;
    static Tensor apply(const std::vector<const Tensor*>& items) {
        return detail::collate_tensors(items);
    }
};

template <class T>
    requires std::is_arithmetic_v<T>
struct Collate<T> {
    using type = Tensor;
    static Tensor apply(const std::vector<const T*>& items) {
        if constexpr (std::is_same_v<T, bool>) {
            std::vector<bool> values;
            for (const T* v : items) values.push_back(*v);
            return detail::collate_bools(values);
        } else if constexpr (std::is_integral_v<T>) {
            std::vector<int64_t> values;
            for (const T* v : items) values.push_back(static_cast<int64_t>(*v));
            return detail::collate_integers(values);
        } else {
            std::vector<double> values;
            for (const T* v : items) values.push_back(static_cast<double>(*v));
            return detail::collate_floats(values,
                                          std::is_same_v<T, float> ? float32 : float64);
        }
    }
};

template <>
struct Collate<std::string> {
    using type = std::vector<std::string>;
    static type apply(const std::vector<const std::string*>& items) {
        type out;
        for (const std::string* s : items) out.push_back(*s);
        return out;
    }
};

template <class A, class B>
struct Collate<std::pair<A, B>> {
    using type = std::pair<collate_t<A>, collate_t<B>>;
    static type apply(const std::vector<const std::pair<A, B>*>& items) {
        return {Collate<A>::apply(detail::project(items, [](const auto& p) -> const A& { return p.first; })),
                Collate<B>::apply(detail::project(items, [](const auto& p) -> const B& { return p.second; }))};
    }
};

template <class... T>
struct Collate<std::tuple<T...>> {
    using type = std::tuple<collate_t<T>...>;
    static type apply(const std::vector<const std::tuple<T...>*>& items) {
        return [&]<size_t... I>(std::index_sequence<I...>) {
            return type{Collate<T>::apply(detail::project(
                items, [](const auto& t) -> const T& { return std::get<I>(t); }))...};
        }(std::index_sequence_for<T...>{});
    }
};

template <class T, size_t N>
struct Collate<std::array<T, N>> {
    using type = std::array<collate_t<T>, N>;
    static type apply(const std::vector<const std::array<T, N>*>& items) {
        return [&]<size_t... I>(std::index_sequence<I...>) {
            return type{Collate<T>::apply(detail::project(
                items, [](const auto& a) -> const T& { return a[I]; }))...};
        }(std::make_index_sequence<N>{});
    }
};

template <class T, class Alloc>
struct Collate<std::vector<T, Alloc>> {
    using type = std::vector<collate_t<T>>;
    static type apply(const std::vector<const std::vector<T, Alloc>*>& items) {
        const size_t length = items[0]->size();
        for (size_t i = 1; i < items.size(); ++i)
            if (items[i]->size() != length) detail::collate_size_mismatch(length, items[i]->size(), i);
        type out;
        out.reserve(length);
        for (size_t j = 0; j < length; ++j)
            out.push_back(Collate<T>::apply(
                detail::project(items, [j](const auto& v) -> const T& { return v[j]; })));
        return out;
    }
};

namespace detail {
template <class Map, class Out>
Out collate_map(const std::vector<const Map*>& items) {
    using V = typename Map::mapped_type;
    Out out;
    for (const auto& [key, value] : *items[0]) {
        std::vector<const V*> values;
        for (size_t i = 0; i < items.size(); ++i) {
            auto it = items[i]->find(key);
            if (it == items[i]->end()) collate_missing_key(i);
            values.push_back(&it->second);
        }
        out.emplace(key, Collate<V>::apply(values));
    }
    return out;
}
}  // namespace detail

template <class K, class V, class C, class A>
struct Collate<std::map<K, V, C, A>> {
    using type = std::map<K, collate_t<V>, C>;
    static type apply(const std::vector<const std::map<K, V, C, A>*>& items) {
        return detail::collate_map<std::map<K, V, C, A>, type>(items);
    }
};

template <class K, class V, class H, class E, class A>
struct Collate<std::unordered_map<K, V, H, E, A>> {
    using type = std::unordered_map<K, collate_t<V>, H, E>;
    static type apply(const std::vector<const std::unordered_map<K, V, H, E, A>*>& items) {
        return detail::collate_map<std::unordered_map<K, V, H, E, A>, type>(items);
    }
};

}  // namespace ember::data
