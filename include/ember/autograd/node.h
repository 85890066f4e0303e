// The autograd graph: a Node per recorded op (its grad_fn), linked to the nodes of its inputs by
// Edges. The engine (src/autograd/engine.cpp) runs the nodes in reverse.
//
// A node's "inputs" are the gradients of the forward op's outputs, its outputs are the
// gradients of the forward op's inputs, which flow along next_edges(): Edge i carries output i
// to input `input_nr` of the node that produced forward input i (or to the AccumulateGrad node of
// a leaf). An invalid edge (no function) means that forward input needs no gradient.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ember/core/device.h"
#include "ember/core/dtype.h"
#include "ember/core/inline_vector.h"
#include "ember/core/small_vector.h"

namespace ember {
class Tensor;
using TensorList = std::vector<Tensor>;
}  // namespace ember

namespace ember::autograd {

class Node;

struct Edge {
    std::shared_ptr<Node> function;
    uint32_t input_nr = 0;
    bool is_valid() const { return function != nullptr; }
};

// What a gradient flowing into one input of a node must look like: the shape, dtype and device
// of the forward output it belongs to. The engine sums a broadcast gradient down to `sizes` and
// casts it to `dtype`.
struct InputMeta {
    DimVector sizes;
    DType dtype = DType::Float32;
    Device device = kCPU;
    bool differentiable = true;  // false for integer outputs (indices)
};

// A tensor hook: sees the gradient of a tensor, returns a replacement (or an undefined tensor
// to keep it).
using TensorHook = std::function<Tensor(const Tensor&)>;

class Node : public std::enable_shared_from_this<Node> {
public:
    virtual ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    // PyTorch's name for the node, e.g. "MulBackward0".
    virtual std::string name() const = 0;
    // Gradients of the forward inputs from the gradients of the forward outputs (one per
    // input of this node; undefined where no gradient flowed). One result per next edge.
    virtual TensorList apply(TensorList&& grads) = 0;
    // Frees what the node saved for backward (after a backward without retain_graph).
    virtual void release_saved() {}
    // Runs the tensor hooks of the forward outputs on their gradients, before apply.
    virtual void call_tensor_hooks(TensorList& grads);

    const InlineVector<Edge, 2>& next_edges() const { return next_edges_; }
    size_t num_inputs() const { return input_meta_.size(); }
    const InputMeta& input_meta(size_t i) const { return input_meta_[i]; }
    // Order of creation on this thread; the engine runs later nodes first.
    uint64_t sequence_nr() const { return sequence_nr_; }

    // Tensor hooks of forward output `output_nr` (registered through Tensor::register_hook).
    int add_tensor_hook(uint32_t output_nr, TensorHook hook);
    bool remove_tensor_hook(int id);
    // Where retain_grad() stores the gradient of forward output `output_nr` (null: nowhere).
    void set_retained_grad(uint32_t output_nr, Tensor* slot);

protected:
    Node();
    explicit Node(uint64_t sequence_nr) : sequence_nr_(sequence_nr) {}

    InlineVector<Edge, 2> next_edges_;
    InlineVector<InputMeta, 1> input_meta_;
    uint64_t sequence_nr_;

private:
    struct HookEntry {
        int id;
        uint32_t output_nr;
        TensorHook fn;
    };
    std::vector<HookEntry> hooks_;
    std::vector<std::pair<uint32_t, Tensor*>> retained_;

    friend struct NodeBuilder;  // fills edges and metadata (src/autograd/function.h)
};

// A fresh id for a registered hook (ids are unique in the process).
int next_hook_id();

}  // namespace ember::autograd
