// Sequential, ModuleList: children by index.
#include "ember/nn/container.h"

void ember::detail::wrong_child_type(const nn::Module& container, size_t i,
                                     const nn::Module& child, const std::type_info& wanted) {
    EMBER_ERROR(container.type_name(), ".at<", short_type_name(wanted), ">(", i, "): child ", i,
                " is a ", child.type_name());
}

namespace ember::nn {

Tensor Sequential::forward(const Tensor& input) {
    Tensor x = input;
    for (const auto& [name, module] : named_children()) x = (*module)(x);
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
