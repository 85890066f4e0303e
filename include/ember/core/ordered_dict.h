// OrderedDict: string keys in insertion order with lookup by key (what PyTorch's state_dict()
// returns, and what module containers keep).
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ember/core/error.h"

namespace ember {

template <class V>
class OrderedDict {
public:
    using Item = std::pair<std::string, V>;

    // Inserts or, for an existing key, replaces the value in place (the key keeps its position).
    V& insert(const std::string& key, V value) {
        if (auto it = index_.find(key); it != index_.end()) {
            items_[it->second].second = std::move(value);
            return items_[it->second].second;
        }
        index_.emplace(key, items_.size());
        items_.emplace_back(key, std::move(value));
        return items_.back().second;
    }
    bool contains(const std::string& key) const { return index_.count(key) > 0; }
    const V& at(const std::string& key) const {
        auto it = index_.find(key);
        EMBER_CHECK(it != index_.end(), "OrderedDict: no key \"", key, "\"");
        return items_[it->second].second;
    }
    V& at(const std::string& key) {
        auto it = index_.find(key);
        EMBER_CHECK(it != index_.end(), "OrderedDict: no key \"", key, "\"");
        return items_[it->second].second;
    }
    const V& operator[](const std::string& key) const { return at(key); }
    size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    std::vector<std::string> keys() const {
        std::vector<std::string> k;
        for (const Item& i : items_) k.push_back(i.first);
        return k;
    }
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }
    auto begin() { return items_.begin(); }
    auto end() { return items_.end(); }

private:
    std::vector<Item> items_;
    std::unordered_map<std::string, size_t> index_;
};

}  // namespace ember
