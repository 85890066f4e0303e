// Containers: Sequential (runs its children in order), ModuleList and ModuleDict (hold them).
//
//   nn::Sequential layer1{nn::Conv2d(3, 64, 5), nn::ReLU(true), nn::MaxPool2d(2)};
//   auto& conv = layer1.at<nn::Conv2d>(0);
//
// Write it with braces when several layers draw random initial weights: C++ evaluates the
// elements of a braced list from left to right, so the layers take their weights from the
// generator in the written order, as in PyTorch, and `manual_seed` gives PyTorch's weights.
// The arguments of a call in parentheses may be built in any order (GCC builds them right to
// left), which gives the same layers with the draws permuted.
//
// C++ detail: `nn::Sequential outer(nn::Sequential(a, b))` with a single Sequential argument is
// that Sequential itself (the temporary is not copied, so nothing nests); nest it with
// `outer.push_back(nn::Sequential(a, b))`.
#pragma once

#include <memory>
#include <string>
#include <typeinfo>
#include <utility>

#include "ember/nn/module.h"

namespace ember::detail {
// at<M>(i) of a container whose child i is not an M.
[[noreturn]] void wrong_child_type(const nn::Module& container, size_t i, const nn::Module& child,
                                   const std::type_info& wanted);
}  // namespace ember::detail

namespace ember::nn {

class Sequential : public Module {
public:
    Sequential() = default;
    template <class... Ms>
        requires(sizeof...(Ms) > 0 && (std::derived_from<std::remove_cvref_t<Ms>, Module> && ...))
    explicit Sequential(Ms&&... modules) {
        (push_back(std::forward<Ms>(modules)), ...);
    }
    // Appends a module as child "<size>".
    template <class M>
    auto& push_back(M&& module) {
        return register_module(std::to_string(size_++), std::forward<M>(module));
    }
    Tensor forward(const Tensor& input) override;
    size_t size() const { return size_; }
    Module& operator[](size_t i) const;
    // Child i as its own type (`seq.at<nn::BatchNorm1d>(1).running_mean`); an ember::Error when
    // it has another type.
    template <class M>
    M& at(size_t i) const {
        Module& child = (*this)[i];
        if (auto* typed = dynamic_cast<M*>(&child)) return *typed;
        ember::detail::wrong_child_type(*this, i, child, typeid(M));
    }

private:
    size_t size_ = 0;
};

class ModuleList : public Module {
public:
    ModuleList() = default;
    template <class... Ms>
        requires(sizeof...(Ms) > 0 && (std::derived_from<std::remove_cvref_t<Ms>, Module> && ...))
    explicit ModuleList(Ms&&... modules) {
        (push_back(std::forward<Ms>(modules)), ...);
    }
    template <class M>
    auto& push_back(M&& module) {
        return register_module(std::to_string(size_++), std::forward<M>(module));
    }
    size_t size() const { return size_; }
    Module& operator[](size_t i) const;
    // Child i as its own type (`seq.at<nn::BatchNorm1d>(1).running_mean`); an ember::Error when
    // it has another type.
    template <class M>
    M& at(size_t i) const {
        Module& child = (*this)[i];
        if (auto* typed = dynamic_cast<M*>(&child)) return *typed;
        ember::detail::wrong_child_type(*this, i, child, typeid(M));
    }

private:
    size_t size_ = 0;
};

class ModuleDict : public Module {
public:
    template <class M>
    auto& insert(const std::string& key, M&& module) {
        return register_module(key, std::forward<M>(module));
    }
    Module& operator[](const std::string& key) const { return child(key); }
    size_t size() const { return named_children().size(); }
};

}  // namespace ember::nn
