// Sequential, ModuleList: children by index.
#include "ember/nn/container.h"

#include "ember/nn/activation.h"
#include "ember/nn/conv.h"
#include "ember/nn/pooling.h"

void ember::detail::wrong_child_type(const nn::Module& container, size_t i,
                                     const nn::Module& child, const std::type_info& wanted) {
    EMBER_ERROR(container.type_name(), ".at<", short_type_name(wanted), ">(", i, "): child ", i,
                " is a ", child.type_name());
}

namespace ember::nn {

namespace {
// Conv2d, ReLU, MaxPool2d in a row (the seed's CNN blocks): Sequential pools first and applies
// the ReLU to the pooled result, a quarter of the size for a 2x2 pool. max and relu commute, so
// the output is the same, and so is every gradient (a window whose values are all <= 0 passes
// none either way). The convolution's output is a fresh tensor nobody else sees, so skipping
// the in-place ReLU on it changes nothing visible; it saves a pass over the largest activation
// in the forward and another in the backward.
using Children = std::vector<std::pair<std::string, std::shared_ptr<Module>>>;
bool relu_then_pool_after_conv(const Children& children, size_t i) {
    return i >= 1 && i + 1 < children.size() &&
           dynamic_cast<const ConvNd*>(children[i - 1].second.get()) &&
           dynamic_cast<const ReLU*>(children[i].second.get()) &&
           dynamic_cast<const MaxPool2d*>(children[i + 1].second.get());
}
}  // namespace

Tensor Sequential::forward(const Tensor& input) {
    Tensor x = input;
    const auto children = named_children();
    for (size_t i = 0; i < children.size(); ++i) {
        if (relu_then_pool_after_conv(children, i)) {
            x = (*children[i + 1].second)(x);  // the pool
            x = (*children[i].second)(x);      // the ReLU, on the pooled result
            ++i;
            continue;
        }
        x = (*children[i].second)(x);
    }
    return x;
}

Module& Sequential::operator[](size_t i) const {
    EMBER_CHECK(i < size_, error_prefix(), "index ", i, " is out of range for a Sequential of ",
                size_, " modules");
    return child(std::to_string(i));
}

Module& ModuleList::operator[](size_t i) const {
    EMBER_CHECK(i < size_, error_prefix(), "index ", i, " is out of range for a ModuleList of ",
                size_, " modules");
    return child(std::to_string(i));
}

}  // namespace ember::nn
