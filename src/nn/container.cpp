// Sequential, ModuleList: children by index.
#include "ember/nn/container.h"

#include "ember/nn/activation.h"
#include "ember/nn/conv.h"
#include "ember/nn/pooling.h"
#include "ops/conv_pool.h"

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
// in the forward and another in the backward. A plain Conv2d and 2x2 pool go further (below).
using Children = std::vector<std::pair<std::string, std::shared_ptr<Module>>>;
bool relu_then_pool_after_conv(const Children& children, size_t i) {
    return i >= 1 && i + 1 < children.size() &&
           dynamic_cast<const ConvNd*>(children[i - 1].second.get()) &&
           dynamic_cast<const ReLU*>(children[i].second.get()) &&
           dynamic_cast<const MaxPool2d*>(children[i + 1].second.get());
}

bool all_equal(const PoolSize& size, int64_t v) {
    for (int64_t x : size.values)
        if (x != v) return false;
    return true;
}

// A plain Conv2d (zero padding given as numbers) and a 2x2 MaxPool2d of stride 2 on a batch:
// the pair runs as one op (ember::detail::conv2d_max_pool2x2), which never stores the
// convolution's full-size output. Exact types: a subclass may override forward().
bool fusable_conv_pool(const Module& conv_module, const Module& pool_module, const Tensor& x) {
    if (typeid(conv_module) != typeid(Conv2d) || typeid(pool_module) != typeid(MaxPool2d) ||
        x.dim() != 4)
        return false;
    const auto& conv = static_cast<const Conv2d&>(conv_module);
    const auto& pool = static_cast<const MaxPool2d&>(pool_module);
    const MaxPool2dOptions& o = pool.options;
    return conv.padding_mode == "zeros" && conv.padding_str.empty() && conv.groups == 1 &&
           all_equal(pool.kernel_size, 2) && (o.stride.empty() || all_equal(o.stride, 2)) &&
           all_equal(o.padding, 0) && all_equal(o.dilation, 1) && !o.ceil_mode;
}
}  // namespace

Tensor Sequential::forward(const Tensor& input) {
    Tensor x = input;
    const auto children = named_children();
    for (size_t i = 0; i < children.size(); ++i) {
        Module& child = *children[i].second;
        if (relu_then_pool_after_conv(children, i + 1)) {  // child is the convolution
            Module& relu = *children[i + 1].second;
            Module& pool = *children[i + 2].second;
            Tensor pooled;
            if (fusable_conv_pool(child, pool, x)) {
                const auto& conv = static_cast<const Conv2d&>(child);
                try {
                    pooled = ember::detail::conv2d_max_pool2x2(x, conv.weight, conv.bias,
                                                               conv.stride, conv.padding,
                                                               conv.dilation);
                } catch (const Error&) {
                    // Invalid arguments: the modules' own path below raises with their names.
                }
            }
            if (!pooled.defined()) pooled = pool(child(x));
            x = relu(pooled);  // the ReLU, on the pooled result
            i += 2;
            continue;
        }
        x = child(x);
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
