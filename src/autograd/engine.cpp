// The backward engine: runs the graph from the roots to the leaves, each node once, after all
// the gradients flowing into it have arrived (dependency counting), in reverse order of
// creation among the ready ones (as PyTorch's engine on one device).
#include "autograd/engine.h"

#include <queue>
#include <unordered_map>

#include "autograd/function.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember::autograd {

namespace {

// The node that starts a backward pass: hands the root gradients to the roots' edges.
class GraphRoot final : public Node {
public:
    GraphRoot(const std::vector<Edge>& roots, TensorList grads) : grads_(std::move(grads)) {
        next_edges_.reserve(roots.size());
        for (const Edge& e : roots) next_edges_.push_back(e);
    }
    std::string name() const override { return "GraphRoot"; }
    TensorList apply(TensorList&&) override { return grads_; }

private:
    TensorList grads_;
};

struct ReadyOrder {
    bool operator()(Node* a, Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

// Makes a node's output fit the input it flows into: summed over broadcast dims, cast to the
// input's dtype; anything else is an error in the formula.
Tensor validate(Tensor grad, const Node& producer, size_t index, const InputMeta& meta) {
    if (!meta.differentiable) return {};
    if (!(grad.sizes() == IntArrayRef(meta.sizes))) {
        DimVector b;
        bool expandable = true;
        try {
            b = broadcast_shapes(grad.sizes(), meta.sizes, "backward");
        } catch (const Error&) {
            expandable = false;
        }
        EMBER_CHECK(expandable && IntArrayRef(b) == grad.sizes(), "Function ", producer.name(),
                    " returned an invalid gradient at index ", index, " - got ",
                    shape_str(grad.sizes()), " but expected shape compatible with ",
                    shape_str(meta.sizes));
        grad = sum_to(grad, meta.sizes);
    }
    if (grad.dtype() != meta.dtype) grad = grad.to(meta.dtype);
    return grad;
}

void accumulate(Tensor& slot, Tensor grad) {
    if (!slot.defined()) slot = std::move(grad);
    else slot = slot + grad;
}

}  // namespace

// Per-node state of one backward run: how many edges still have to deliver a gradient, the
// gradients received so far, and (with captures) whether the node leads to a captured edge.
struct NodeTask {
    int deps = 0;
    bool needed = false;
    TensorList inputs;
};

// Node -> NodeTask for one run: open addressing over a power-of-two table. A backward pass
// touches every node of the graph, so a node-per-entry hash map would cost an allocation per
// node; this costs one per growth.
class NodeTable {
public:
    // 16 slots hold 8 nodes, a small model's whole step; clearing a larger table showed in
    // the profile of such steps.
    NodeTable() : slots_(16) {}
    // The task of `node`, inserted if absent; `inserted` tells which.
    // References stay valid until the next insertion.
    NodeTask& get(Node* node, bool* inserted = nullptr) {
        size_t i = find(node);
        if (inserted) *inserted = !slots_[i].node;
        if (slots_[i].node) return slots_[i].task;
        if ((count_ + 1) * 2 > slots_.size()) {
            grow();
            i = find(node);
        }
        slots_[i].node = node;
        ++count_;
        return slots_[i].task;
    }
    size_t size() const { return count_; }

private:
    struct Slot {
        Node* node = nullptr;
        NodeTask task;
    };
    // The slot holding node, or the empty slot where it would go.
    size_t find(Node* node) const {
        size_t i = index(node);
        while (slots_[i].node && slots_[i].node != node) i = (i + 1) & (slots_.size() - 1);
        return i;
    }
    size_t index(Node* node) const {
        auto h = reinterpret_cast<uintptr_t>(node);
        h ^= h >> 17;
        h *= 0x9E3779B97F4A7C15ULL;
        return static_cast<size_t>(h >> 20) & (slots_.size() - 1);
    }
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_ = std::vector<Slot>(old.size() * 2);
        for (Slot& s : old) {
            if (!s.node) continue;
            size_t i = index(s.node);
            while (slots_[i].node) i = (i + 1) & (slots_.size() - 1);
            slots_[i] = std::move(s);
        }
    }
    std::vector<Slot> slots_;
    size_t count_ = 0;
};

TensorList run_backward(const std::vector<Edge>& roots, const TensorList& root_grads,
                        bool keep_graph, bool create_graph, const std::vector<Edge>& capture) {
    auto root = std::make_shared<GraphRoot>(roots, root_grads);

    // Dependencies: how many edges lead into each node (one map lookup per edge).
    NodeTable tasks;
    tasks.get(root.get());
    {
        std::vector<Node*> stack{root.get()};
        while (!stack.empty()) {
            Node* n = stack.back();
            stack.pop_back();
            for (const Edge& e : n->next_edges()) {
                if (!e.is_valid()) continue;
                bool inserted = false;
                ++tasks.get(e.function.get(), &inserted).deps;
                if (inserted) stack.push_back(e.function.get());
            }
        }
    }

    // With captures (autograd::grad), only the nodes on a path to a captured edge run, and the
    // captured gradients are returned instead of accumulated into leaves.
    const bool capturing = !capture.empty();
    std::unordered_map<Node*, std::vector<std::pair<uint32_t, size_t>>> captures;
    if (capturing) {
        for (size_t i = 0; i < capture.size(); ++i)
            if (capture[i].is_valid())
                captures[capture[i].function.get()].emplace_back(capture[i].input_nr, i);
        // Post-order walk: a node is needed if it leads to a captured node.
        std::vector<std::pair<Node*, size_t>> stack{{root.get(), 0}};
        std::unordered_map<Node*, bool> visited{{root.get(), true}};
        while (!stack.empty()) {
            auto& [n, child] = stack.back();
            const auto& edges = n->next_edges();
            if (child < edges.size()) {
                Node* next = edges[child++].function.get();
                if (next && visited.try_emplace(next, true).second) stack.push_back({next, 0});
                continue;
            }
            bool need = false;
            for (const Edge& e : edges)
                if (e.is_valid() && (tasks.get(e.function.get()).needed || captures.count(e.function.get())))
                    need = true;
            tasks.get(n).needed = need;
            stack.pop_back();
        }
    }
    TensorList captured(capture.size());

    AutoGradMode grad_mode(create_graph);
    std::priority_queue<Node*, std::vector<Node*>, ReadyOrder> ready;
    ready.push(root.get());
    // A queued node stays alive even if the last tensor that owned it is released meanwhile.
    std::vector<std::shared_ptr<Node>> keep_alive;
    keep_alive.reserve(tasks.size());

    while (!ready.empty()) {
        Node* node = ready.top();
        ready.pop();
        NodeTask& task = tasks.get(node);
        TensorList inputs = std::move(task.inputs);
        inputs.resize(node->num_inputs());
        bool any_grad = node == root.get();
        for (const Tensor& g : inputs) any_grad = any_grad || g.defined();

        TensorList outputs;
        if (any_grad) {
            node->call_tensor_hooks(inputs);
            if (capturing) {
                if (auto c = captures.find(node); c != captures.end())
                    for (auto [input_nr, index] : c->second) captured[index] = inputs[input_nr];
            }
            if (!capturing || node == root.get() || task.needed) {
                outputs = node->apply(std::move(inputs));
                if (!keep_graph) node->release_saved();
            }
        }
        const auto& edges = node->next_edges();
        for (size_t i = 0; i < edges.size(); ++i) {
            const Edge& e = edges[i];
            if (!e.is_valid()) continue;
            Node* next = e.function.get();
            NodeTask& next_task = tasks.get(next);
            if (i < outputs.size() && outputs[i].defined()) {
                Tensor g = validate(std::move(outputs[i]), *node, i,
                                    next->input_meta(e.input_nr));
                if (g.defined()) {
                    TensorList& buf = next_task.inputs;
                    if (buf.empty()) buf.resize(next->num_inputs());
                    accumulate(buf[e.input_nr], std::move(g));
                }
            }
            if (--next_task.deps == 0) {
                keep_alive.push_back(e.function);
                ready.push(next);
            }
        }
    }
    return captured;
}

// ---- the public entry points ----------------------------------------------------------------

namespace {

// The implicit or checked gradient of one output.
Tensor root_gradient(const Tensor& output, const Tensor& gradient, size_t index) {
    if (!gradient.defined()) {
        EMBER_CHECK(output.numel() == 1, "grad can be implicitly created only for scalar outputs "
                    "(output ", index, " has shape ", shape_str(output.sizes()),
                    "; pass a gradient of that shape)");
        return ones_like(output);
    }
    EMBER_CHECK(gradient.sizes() == output.sizes(), "Mismatch in shape: grad_output[", index,
                "] has a shape of ", shape_str(gradient.sizes()), " and output[", index,
                "] has a shape of ", shape_str(output.sizes()), ".");
    return gradient;
}

Edge root_edge(const Tensor& output, size_t index) {
    output.check_defined("backward");
    Edge e = gradient_edge(output);
    EMBER_CHECK(e.is_valid(), "element ", index, " of tensors does not require grad and does not "
                "have a grad_fn (", detail::describe(output), ")");
    return e;
}

}  // namespace

void backward(const TensorList& outputs, const TensorList& grad_outputs,
              std::optional<bool> retain_graph, bool create_graph) {
    EMBER_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "backward: got ",
                grad_outputs.size(), " gradients for ", outputs.size(), " outputs");
    std::vector<Edge> roots;
    TensorList grads;
    for (size_t i = 0; i < outputs.size(); ++i) {
        roots.push_back(root_edge(outputs[i], i));
        grads.push_back(root_gradient(outputs[i], grad_outputs.empty() ? Tensor() : grad_outputs[i], i));
    }
    run_backward(roots, grads, retain_graph.value_or(create_graph), create_graph, {});
}

TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs,
                std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
    EMBER_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "grad: got ",
                grad_outputs.size(), " grad_outputs for ", outputs.size(), " outputs");
    EMBER_CHECK(!inputs.empty(), "grad requires at least one input");
    std::vector<Edge> roots;
    TensorList grads;
    for (size_t i = 0; i < outputs.size(); ++i) {
        roots.push_back(root_edge(outputs[i], i));
        grads.push_back(root_gradient(outputs[i], grad_outputs.empty() ? Tensor() : grad_outputs[i], i));
    }
    std::vector<Edge> capture;
    for (const Tensor& in : inputs) {
        in.check_defined("grad");
        EMBER_CHECK(in.requires_grad(), "One of the differentiated Tensors does not require grad (",
                    detail::describe(in), ")");
        capture.push_back(gradient_edge(in));
    }
    TensorList result =
        run_backward(roots, grads, retain_graph.value_or(create_graph), create_graph, capture);
    // The captured gradients already have each input's shape and dtype: every gradient is fitted
    // to the input it flows into (validate) before it is buffered.
    for (size_t i = 0; i < result.size(); ++i)
        EMBER_CHECK(result[i].defined() || allow_unused, "One of the differentiated Tensors "
                    "appears to not have been used in the graph. Set allow_unused=True if this is "
                    "the desired behavior. (input ", i, ": ", detail::describe(inputs[i]), ")");
    return result;
}

}  // namespace ember::autograd
