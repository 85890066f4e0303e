// How an op records itself in the graph: the pieces every op definition uses to put its
// backward formula beside its forward code (docs/adding-an-op.md, "Backward").
//
//   Tensor mul(const Tensor& a, const Tensor& b) {
//       Tensor out = ...forward...;
//       if (autograd::needs_grad(a, b))
//           autograd::record("MulBackward0", {a, b}, {out}, {a, b}, [](BackwardContext& ctx) {
//               return TensorList{ctx.needs(0) ? ctx.grad() * ctx.saved(1) : Tensor(),
//                                 ctx.needs(1) ? ctx.grad() * ctx.saved(0) : Tensor()};
//           });
//       return out;
//   }
//
// A formula is written with ember ops, so it runs on every device and, under create_graph,
// records its own graph (double backward). It may return gradients of the broadcast shape or of
// a wider dtype: the engine sums them down to each input's shape and casts them to its dtype.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/autograd_meta.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/core/tensor.h"

namespace ember::autograd {

// True when an op on these tensors must record: grad mode is on and one of them requires grad.
template <class... Ts>
bool needs_grad(const Ts&... tensors) {
    return is_grad_enabled() && (requires_grad_fast(tensors) || ...);
}
bool any_requires_grad(const TensorList& tensors);

// A view whose base changed in place since the view's history was set gets a fresh grad_fn: an
// as_strided view of the base's current history (as PyTorch regenerates it). Returns whether t
// requires grad.
bool refresh_view_history(const Tensor& t);

// The edge along which t's gradient flows: its grad_fn's, or its leaf AccumulateGrad node
// (created on first use); invalid when t does not require grad.
Edge gradient_edge(const Tensor& t);

// A tensor saved for backward. Remembers the version of its storage, so that backward can
// refuse a value modified in place since. An output of the node that saves it is kept without
// its autograd state (the node would otherwise own itself) and rebuilt on unpack.
class SavedTensor {
public:
    SavedTensor() = default;
    SavedTensor(const Tensor& t, bool is_output);
    Tensor unpack(const std::shared_ptr<Node>& owner) const;
    // Points a saved output at the tensor an in-place op wrote it into (see rebase_history).
    void retarget(const Tensor& t);
    bool is_output() const { return is_output_; }
    uint32_t output_nr() const { return output_nr_; }

private:
    Tensor data_;
    std::shared_ptr<Node> grad_fn_;  // the saved input's grad_fn, for the error message
    uint32_t version_ = 0;
    uint32_t output_nr_ = 0;
    bool is_output_ = false;
    bool is_leaf_ = false;
};

class FunctionNode;

// What a backward formula sees.
class BackwardContext {
public:
    BackwardContext(FunctionNode& node, TensorList& grads) : node_(node), grads_(grads) {}
    // The gradient of forward output i (zeros when none flowed into it but another did).
    const Tensor& grad(size_t i = 0) const { return grads_[i]; }
    // Saved tensor i (in the order given to record), checked against in-place changes.
    Tensor saved(size_t i) const;
    // Whether forward input i needs a gradient (skip computing the others).
    bool needs(size_t i) const;

private:
    FunctionNode& node_;
    TensorList& grads_;
};

using BackwardFn = std::function<TensorList(BackwardContext&)>;

// The node of every op recorded through record(): a name, saved tensors and a formula.
class FunctionNode final : public Node {
public:
    FunctionNode(const char* name, BackwardFn fn) : name_(name), fn_(std::move(fn)) {}
    std::string name() const override { return name_; }
    TensorList apply(TensorList&& grads) override;
    void release_saved() override;

    InlineVector<SavedTensor, 2>& saved() { return saved_; }
    bool needs(size_t i) const { return i < next_edges_.size() && next_edges_[i].is_valid(); }
    Tensor unpack(size_t i);

private:
    const char* name_;
    BackwardFn fn_;
    InlineVector<SavedTensor, 2> saved_;
    bool released_ = false;
};

// Records `outputs` as computed from `inputs` by the op `name`: builds the node (edges to the
// inputs' nodes, the outputs' metadata, the saved tensors) and makes it the outputs' grad_fn.
// Integer and bool outputs (indices, masks) are not differentiable and stay without grad_fn.
std::shared_ptr<FunctionNode> record(const char* name, std::initializer_list<Tensor> inputs,
                                     std::initializer_list<Tensor> outputs,
                                     std::initializer_list<Tensor> saved, BackwardFn fn);
std::shared_ptr<FunctionNode> record(const char* name, const TensorList& inputs,
                                     const TensorList& outputs, const TensorList& saved,
                                     BackwardFn fn);

// Records a one-input op that saves nothing and whose input gradient is `backward(grad)`
// (written with ember ops, so that it records too under create_graph); returns `out`.
template <class Backward>
Tensor record_unary(const char* name, const Tensor& self, Tensor out, Backward backward) {
    if (needs_grad(self))
        record(name, {self}, {out}, {}, [backward = std::move(backward)](BackwardContext& ctx) {
            return TensorList{backward(ctx.grad())};
        });
    return out;
}

// Refuses an in-place op on self when autograd forbids it: a leaf (or a view of one) that
// requires grad while grad mode is on, or an inference tensor outside inference mode.
void check_inplace(const Tensor& self, const char* op);

// Copies `result` into self (without recording) and makes self take result's place in the
// graph: self's grad_fn becomes result's, whose saved outputs now point at self. When self is a
// view, its base takes the change instead (its grad_fn becomes CopySlices over result's node)
// and self becomes a view of the base's new history (AsStridedBackward0).
void rebase_history(Tensor& self, const Tensor& result, const char* op);

// The in-place form of a differentiable op: `out_of_place()` computes the result (recording its
// node) when autograd must see the change, `in_place()` writes into self otherwise. With
// autograd, the result is copied into self and self takes the result's place in the graph.
template <class OutOfPlace, class InPlace>
Tensor& inplace_op(Tensor& self, const char* op, bool record_grad, OutOfPlace&& out_of_place,
                   InPlace&& in_place) {
    check_inplace(self, op);
    if (!record_grad) {
        in_place();
        return self;
    }
    rebase_history(self, out_of_place(), op);
    return self;
}

// grad summed over the dims where it was broadcast, to `sizes` (PyTorch's sum_to).
Tensor sum_to(const Tensor& grad, IntArrayRef sizes);

}  // namespace ember::autograd
