// Graph building: nodes, saved tensors, record(), leaf accumulation and in-place rebasing.
#include "autograd/function.h"

#include <atomic>
#include <limits>

#include "autograd/accumulate_grad.h"
#include "autograd/formulas.h"
#include "ember/ops/factory.h"
#include "ember/ops/reduce.h"
#include "ops/util.h"

namespace ember::autograd {

// ---- Node -----------------------------------------------------------------------------------

namespace {
thread_local uint64_t t_sequence_nr = 0;
std::atomic<int> g_hook_id{0};
}  // namespace

Node::Node() : sequence_nr_(t_sequence_nr++) {}
Node::~Node() = default;

int next_hook_id() { return ++g_hook_id; }

int Node::add_tensor_hook(uint32_t output_nr, TensorHook hook) {
    int id = next_hook_id();
    hooks_.push_back({id, output_nr, std::move(hook)});
    return id;
}

bool Node::remove_tensor_hook(int id) {
    for (auto it = hooks_.begin(); it != hooks_.end(); ++it)
        if (it->id == id) {
            hooks_.erase(it);
            return true;
        }
    return false;
}

void Node::set_retained_grad(uint32_t output_nr, Tensor* slot) {
    for (auto& [nr, s] : retained_)
        if (nr == output_nr) {
            s = slot;
            return;
        }
    if (slot) retained_.emplace_back(output_nr, slot);
}

void Node::call_tensor_hooks(TensorList& grads) {
    for (const HookEntry& h : hooks_) {
        Tensor& g = grads[h.output_nr];
        if (!g.defined()) continue;
        Tensor replaced = h.fn(g);
        if (replaced.defined()) g = std::move(replaced);
    }
    // retain_grad() sees the gradient after the hooks (as PyTorch 2 does). Like a leaf's grad,
    // a retained grad accumulates over backward calls.
    for (auto& [nr, slot] : retained_) {
        const Tensor& g = grads[nr];
        if (!slot || !g.defined()) continue;
        if (!slot->defined()) *slot = g.detach().clone();
        else *slot = *slot + g.detach();
    }
}

// ---- edges ----------------------------------------------------------------------------------

namespace {

// Makes t's grad_fn `fn` (output output_nr), moving a retain_grad() slot along.
void set_history(const Tensor& t, const std::shared_ptr<Node>& fn, uint32_t output_nr) {
    AutogradMeta& m = t.impl()->ensure_autograd_meta();
    if (m.retains_grad && m.grad_fn) m.grad_fn->set_retained_grad(m.output_nr, nullptr);
    m.grad_fn = fn;
    m.output_nr = output_nr;
    m.requires_grad = false;
    if (t.is_view()) t.impl()->set_view_version(t.version(), true);
    if (m.retains_grad) fn->set_retained_grad(m.output_nr, &m.grad);
}

}  // namespace

bool refresh_view_history(const Tensor& t) {
    TensorImpl* impl = t.impl();
    AutogradMeta* m = impl->autograd_meta();
    auto own = [m] { return m && (m->requires_grad || m->grad_fn); };
    if (!impl->view_follows_base() || impl->view_version() == t.version()) return own();
    Tensor base = t.base();
    if (!requires_grad_fast(base)) {
        impl->set_view_version(t.version(), true);
        return own();
    }
    Tensor fresh;
    {
        EnableGradGuard grad_mode;
        fresh = base.as_strided(t.sizes(), t.strides(), t.storage_offset());
    }
    set_history(t, autograd_meta(fresh)->grad_fn, 0);
    return true;
}

Edge gradient_edge(const Tensor& t) {
    if (!requires_grad_fast(t)) return {};  // also brings a stale view's history up to date
    AutogradMeta* m = autograd_meta(t);
    if (m->grad_fn) return {m->grad_fn, m->output_nr};
    if (!m->requires_grad) return {};
    std::shared_ptr<Node> acc = m->grad_accumulator.lock();
    if (!acc) {
        acc = std::allocate_shared<AccumulateGrad>(SmallObjectAllocator<AccumulateGrad>(), t);
        m->grad_accumulator = acc;
    }
    return {acc, 0};
}

bool any_requires_grad(const TensorList& tensors) {
    if (!is_grad_enabled()) return false;
    for (const Tensor& t : tensors)
        if (requires_grad_fast(t)) return true;
    return false;
}

// ---- saved tensors --------------------------------------------------------------------------

SavedTensor::SavedTensor(const Tensor& t, bool is_output) : is_output_(is_output) {
    if (!t.defined()) return;
    EMBER_CHECK(!t.is_inference(), "Inference tensors cannot be saved for backward. To work "
                "around you can make a clone to get a normal tensor and use it in autograd.");
    version_ = t.version();
    AutogradMeta* m = autograd_meta(t);
    if (is_output) {
        data_ = t.detach();  // no autograd state: the owning node is rebuilt into it on unpack
        output_nr_ = m ? m->output_nr : 0;
    } else {
        data_ = t;
        grad_fn_ = m ? m->grad_fn : nullptr;
        output_nr_ = m ? m->output_nr : 0;
        is_leaf_ = !grad_fn_;
    }
}

void SavedTensor::retarget(const Tensor& t) {
    data_ = t.detach();
    version_ = t.version();
}

Tensor SavedTensor::unpack(const std::shared_ptr<Node>& owner) const {
    if (!data_.defined()) return {};
    if (data_.version() != version_) {
        std::string which;
        if (is_output_)
            which = detail::str_cat(", which is output ", output_nr_, " of ", owner->name(), ",");
        else if (grad_fn_)
            which = detail::str_cat(", which is output ", output_nr_, " of ", grad_fn_->name(), ",");
        EMBER_ERROR("one of the variables needed for gradient computation has been modified by "
                    "an inplace operation: [", detail::describe(data_), "]", which,
                    " is at version ", data_.version(), "; expected version ", version_,
                    " instead. (The tensor was saved for ", owner->name(),
                    " and changed in place before backward ran.)");
    }
    if (!is_output_) return data_;
    // Rebuild the output with its grad_fn, so that a double backward differentiates through it.
    Tensor t = data_.detach();
    AutogradMeta& m = t.impl()->ensure_autograd_meta();
    m.grad_fn = owner;
    m.output_nr = output_nr_;
    return t;
}

// ---- FunctionNode ---------------------------------------------------------------------------

Tensor BackwardContext::saved(size_t i) const { return node_.unpack(i); }
bool BackwardContext::needs(size_t i) const { return node_.needs(i); }

Tensor FunctionNode::unpack(size_t i) {
    EMBER_CHECK(!released_,
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward. (In ",
                name_, ".)");
    EMBER_ASSERT(i < saved_.size(), "node ", name_, " reads saved tensor ", i, " of ", saved_.size());
    return saved_[i].unpack(shared_from_this());
}

TensorList FunctionNode::apply(TensorList&& grads) {
    // Outputs that received no gradient while another did get zeros, so formulas need not
    // handle undefined gradients.
    for (size_t i = 0; i < grads.size(); ++i)
        if (!grads[i].defined() && input_meta_[i].differentiable) {
            const InputMeta& m = input_meta_[i];
            grads[i] = zeros(m.sizes, {.dtype = m.dtype, .device = m.device});
        }
    BackwardContext ctx(*this, grads);
    TensorList result = fn_(ctx);
    EMBER_ASSERT(result.size() == next_edges_.size(), "node ", name_, " returned ", result.size(),
                 " gradients for ", next_edges_.size(), " inputs");
    return result;
}

void FunctionNode::release_saved() {
    if (saved_.empty()) return;  // nothing saved: backward may run through again
    saved_.clear();
    released_ = true;
}

// Fills a node's edges and metadata (a friend of Node).
struct NodeBuilder {
    static void build(Node& node, const Tensor* inputs, size_t n_in, const Tensor* outputs,
                      size_t n_out) {
        node.next_edges_.reserve(n_in);
        for (size_t i = 0; i < n_in; ++i) node.next_edges_.push_back(gradient_edge(inputs[i]));
        node.input_meta_.resize(n_out);
        for (size_t i = 0; i < n_out; ++i) {
            const Tensor& t = outputs[i];
            InputMeta& m = node.input_meta_[i];
            if (!t.defined()) {
                m.differentiable = false;
                continue;
            }
            m.sizes.assign(t.sizes().begin(), t.sizes().end());
            m.dtype = t.dtype();
            m.device = t.device();
            m.differentiable = is_floating_point(t.dtype());
        }
    }
};

static std::shared_ptr<FunctionNode> record_impl(const char* name, const Tensor* inputs,
                                                 size_t n_in, const Tensor* outputs, size_t n_out,
                                                 const Tensor* saved, size_t n_saved,
                                                 BackwardFn fn) {
    auto node = std::allocate_shared<FunctionNode>(SmallObjectAllocator<FunctionNode>(), name,
                                                   std::move(fn));
    NodeBuilder::build(*node, inputs, n_in, outputs, n_out);
    // Outputs get their grad_fn first, so that saving one of them records its output_nr.
    for (size_t i = 0; i < n_out; ++i) {
        const Tensor& t = outputs[i];
        if (!t.defined() || !is_floating_point(t.dtype())) continue;
        AutogradMeta& m = t.impl()->ensure_autograd_meta();
        m.grad_fn = node;
        m.output_nr = static_cast<uint32_t>(i);
        m.requires_grad = false;
        if (t.is_view()) t.impl()->set_view_version(t.version(), true);
    }
    node->saved().reserve(n_saved);
    for (size_t i = 0; i < n_saved; ++i) {
        bool is_output = false;
        for (size_t o = 0; o < n_out && !is_output; ++o)
            is_output = saved[i].defined() && saved[i].is_same(outputs[o]);
        node->saved().emplace_back(saved[i], is_output);
    }
    return node;
}

std::shared_ptr<FunctionNode> record(const char* name, std::initializer_list<Tensor> inputs,
                                     std::initializer_list<Tensor> outputs,
                                     std::initializer_list<Tensor> saved, BackwardFn fn) {
    return record_impl(name, inputs.begin(), inputs.size(), outputs.begin(), outputs.size(),
                       saved.begin(), saved.size(), std::move(fn));
}

std::shared_ptr<FunctionNode> record(const char* name, const TensorList& inputs,
                                     const TensorList& outputs, const TensorList& saved,
                                     BackwardFn fn) {
    return record_impl(name, inputs.data(), inputs.size(), outputs.data(), outputs.size(),
                       saved.data(), saved.size(), std::move(fn));
}

// ---- AccumulateGrad -------------------------------------------------------------------------

AccumulateGrad::AccumulateGrad(Tensor leaf)
    : Node(std::numeric_limits<uint64_t>::max()), leaf_(std::move(leaf)) {
    input_meta_.resize(1);
    input_meta_[0].sizes.assign(leaf_.sizes().begin(), leaf_.sizes().end());
    input_meta_[0].dtype = leaf_.dtype();
    input_meta_[0].device = leaf_.device();
}

void AccumulateGrad::call_tensor_hooks(TensorList& grads) {
    Node::call_tensor_hooks(grads);
    AutogradMeta* m = autograd_meta(leaf_);
    if (!m || !grads[0].defined()) return;
    // Copy: a hook may remove itself (or others) while running.
    auto hooks = m->hooks;
    for (auto& [id, fn] : hooks) {
        Tensor replaced = fn(grads[0]);
        if (replaced.defined()) grads[0] = std::move(replaced);
    }
}

namespace {

// Whether nothing but `g` can reach g's elements: no other handle on it, and its storage held
// by it alone, or, for a view, by it and its base, which nothing else holds (a transposed
// product, such as the gradient mm computes for a Linear layer's weight).
bool sole_owner(const Tensor& g) {
    if (g.use_count() != 1 || autograd_meta(g)) return false;
    const intrusive_ptr<TensorImpl>& base = g.impl()->view_base();
    if (!base) return g.storage()->use_count() == 1;
    return base.use_count() == 1 && !base->autograd_meta() && g.storage()->use_count() == 2;
}

}  // namespace

// PyTorch's accumulation: the first gradient is stored (taken over when nothing else holds it,
// else copied), later ones are added; in place, unless backward records a graph (create_graph),
// where the sum is a new tensor so that the graph of the old grad stays intact.
TensorList AccumulateGrad::apply(TensorList&& grads) {
    Tensor g = std::move(grads[0]);
    AutogradMeta* m = autograd_meta(leaf_);
    if (!g.defined() || !m || !m->requires_grad) return {};
    Tensor& slot = m->grad;
    if (!slot.defined()) {
        // A view taken over is kept as a plain tensor on its storage (detach drops the base).
        const bool can_take = !is_grad_enabled() && g.is_contiguous() && sole_owner(g);
        if (can_take) slot = g.is_view() ? g.detach() : std::move(g);
        else slot = (is_grad_enabled() ? g : g.detach()).clone();
    } else if (is_grad_enabled()) {
        slot = slot + g;
    } else {
        slot.add_(g);
    }
    return {};
}

// ---- in-place ops ---------------------------------------------------------------------------

void check_inplace(const Tensor& self, const char* op) {
    if (self.is_inference() && !is_inference_mode_enabled())
        EMBER_ERROR("Inplace update to inference tensor outside InferenceMode is not allowed.You "
                    "can make a clone to get a normal tensor before doing inplace update.See "
                    "https://github.com/pytorch/rfcs/pull/17 for more details. (", op, " on ",
                    detail::describe(self), ")");
    if (!is_grad_enabled()) return;
    AutogradMeta* m = autograd_meta(self);
    if (m && m->requires_grad && !m->grad_fn)
        EMBER_ERROR("a leaf Variable that requires grad is being used in an in-place operation. (",
                    op, " on ", detail::describe(self), ")");
    if (self.is_view()) {
        Tensor base = self.base();
        AutogradMeta* bm = autograd_meta(base);
        if (bm && bm->requires_grad && !bm->grad_fn)
            EMBER_ERROR("a view of a leaf Variable that requires grad is being used in an "
                        "in-place operation. (", op, " on ", detail::describe(self), ")");
    }
}

namespace {

// PyTorch's CopySlices: the grad_fn of a base after an in-place op `fn` wrote into one of its
// views. The base's gradient flows to its old history outside the view; the view's part goes
// through fn to fn's inputs (the view's old value among them, which reaches the base's old
// history along the view's own node). Written with differentiable ops (double backward).
class CopySlices final : public Node {
public:
    CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<Node> fn)
        : sizes_(view.sizes().dims()),
          strides_(view.strides().dims()),
          offset_(view.storage_offset() - base.storage_offset()),
          fn_(std::move(fn)) {
        next_edges_.push_back(gradient_edge(base));
        for (const Edge& e : fn_->next_edges()) next_edges_.push_back(e);
        input_meta_.resize(1);
        input_meta_[0].sizes = base.sizes().dims();
        input_meta_[0].dtype = base.dtype();
        input_meta_[0].device = base.device();
    }
    std::string name() const override { return "CopySlices"; }
    void release_saved() override { fn_->release_saved(); }

    TensorList apply(TensorList&& grads) override {
        TensorList out(next_edges_.size());
        if (!grads[0].defined()) return out;
        const Tensor g = grads[0].contiguous();  // the base's (row-major) layout
        const DimVector sizes = sizes_, strides = strides_;
        const int64_t offset = offset_;
        auto view = [sizes, strides, offset](const Tensor& t) {
            const Tensor c = t.contiguous();
            return c.as_strided(sizes, strides, c.storage_offset() + offset);
        };
        const Tensor g_view = view(g);
        TensorList res = fn_->apply(TensorList{g_view});
        // The view's old values were overwritten: they get no gradient from g.
        out[0] = g - embed_in_zeros("AsStridedScatterBackward0", g_view, g.sizes(), view);
        for (size_t i = 0; i < res.size(); ++i) out[i + 1] = res[i];
        return out;
    }

private:
    DimVector sizes_, strides_;
    int64_t offset_;
    std::shared_ptr<Node> fn_;
};

}  // namespace

void rebase_history(Tensor& self, const Tensor& result, const char* op) {
    EMBER_CHECK(can_cast(result.dtype(), self.dtype()), op, ": result type ",
                dtype_short_name(result.dtype()), " can't be cast to the desired output type ",
                dtype_short_name(self.dtype()));
    AutogradMeta* rm = autograd_meta(result);
    // CopySlices maps the view into its base's gradient by the base's row-major layout.
    EMBER_CHECK(!rm || !rm->grad_fn || !self.is_view() || self.base().is_contiguous(), op,
                ": in-place operations on a view of a non-contiguous tensor (",
                detail::describe(self), ", a view of ", detail::describe(self.base()),
                ") are not supported yet when autograd records them; apply the op out of place "
                "or make the base contiguous first");
    {
        NoGradGuard no_grad;
        self.copy_(result);
    }
    if (!rm || !rm->grad_fn) return;  // nothing was recorded
    std::shared_ptr<Node> fn = rm->grad_fn;
    const uint32_t output_nr = rm->output_nr;
    if (self.is_view()) {
        // The base takes the change through CopySlices, and the view becomes a fresh view of
        // the base's new history.
        Tensor base = self.base();
        set_history(base, std::make_shared<CopySlices>(base, self, fn), 0);
        Tensor fresh = base.as_strided(self.sizes(), self.strides(), self.storage_offset());
        set_history(self, autograd_meta(fresh)->grad_fn, 0);
    } else {
        set_history(self, fn, output_nr);
    }
    // The node's saved copy of its output is now self (as it is in PyTorch, where the op wrote
    // into self): changing self in place again must fail the version check.
    if (auto* f = dynamic_cast<FunctionNode*>(fn.get()))
        for (SavedTensor& s : f->saved())
            if (s.is_output() && s.output_nr() == output_nr) s.retarget(self);
}

// ---- shapes -----------------------------------------------------------------------------------

Tensor sum_to(const Tensor& grad, IntArrayRef sizes) {
    IntArrayRef gs = grad.sizes();
    if (gs == sizes) return grad;
    const int64_t lead = static_cast<int64_t>(gs.size()) - static_cast<int64_t>(sizes.size());
    DimVector dims;
    for (int64_t d = 0; d < lead; ++d) dims.push_back(d);
    for (int64_t d = lead; d < static_cast<int64_t>(gs.size()); ++d)
        if (sizes[d - lead] == 1 && gs[d] != 1) dims.push_back(d);
    Tensor r = dims.empty() ? grad : sum(grad, dims, /*keepdim=*/true);
    return lead > 0 || r.sizes() != sizes ? r.reshape(sizes) : r;
}

}  // namespace ember::autograd
