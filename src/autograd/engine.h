// The backward engine (see engine.cpp).
#pragma once

#include <vector>

#include "ember/autograd/node.h"
#include "ember/core/tensor.h"

namespace ember::autograd {

// Runs backward from `roots` with gradients `root_grads`. Without `capture`, gradients reach
// the leaves' AccumulateGrad nodes; with it, the gradients flowing into each captured edge are
// returned (one per edge, undefined when none arrived) and leaves are left alone.
TensorList run_backward(const std::vector<Edge>& roots, const TensorList& root_grads,
                        bool keep_graph, bool create_graph, const std::vector<Edge>& capture);

}  // namespace ember::autograd
