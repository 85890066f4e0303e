// Tensor's autograd methods: flags, grad, grad_fn, detach, hooks, backward.
#include <utility>

#include "autograd/engine.h"
#include "autograd/function.h"
#include "ember/autograd/autograd.h"
#include "ops/sparse_ops.h"
#include "ops/util.h"

namespace ember {

bool Tensor::requires_grad() const {
    check_defined("requires_grad");
    return requires_grad_fast(*this);
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
    check_defined("requires_grad_");
    AutogradMeta* m = impl()->autograd_meta();
    if (m && m->grad_fn) {
        EMBER_CHECK(requires_grad, "you can only change requires_grad flags of leaf variables. If "
                    "you want to use a computed variable in a subgraph that doesn't require "
                    "differentiation use var_no_grad = var.detach(). (", m->grad_fn->name(),
                    " output ", detail::describe(*this), ")");
        return *this;
    }
    EMBER_CHECK(!requires_grad || is_floating_point(),
                "requires_grad_: only Tensors of floating point dtype can require gradients (got ",
                dtype(), ")");
    EMBER_CHECK(!requires_grad || !is_inference() || is_inference_mode_enabled(),
                "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                "allowed.");
    if (requires_grad || m) impl()->ensure_autograd_meta().requires_grad = requires_grad;
    return *this;
}

const Tensor& Tensor::grad() const {
    static const Tensor undefined;
    check_defined("grad");
    AutogradMeta* m = impl()->autograd_meta();
    return m ? m->grad : undefined;
}

Tensor& Tensor::mutable_grad() {
    check_defined("mutable_grad");
    return impl()->ensure_autograd_meta().grad;
}

void Tensor::set_grad(const Tensor& grad) {
    check_defined("set_grad");
    if (grad.defined()) {
        EMBER_CHECK(!grad.is_same(*this), "set_grad: can't assign Variable as its own grad");
        EMBER_CHECK(grad.dtype() == dtype(), "set_grad: assigned grad has data of a different "
                    "type (grad ", detail::describe(grad), ", tensor ", detail::describe(*this),
                    ")");
        EMBER_CHECK(grad.device() == device(), "set_grad: assigned grad has data located on a "
                    "different device (grad ", detail::describe(grad), ", tensor ",
                    detail::describe(*this), ")");
        EMBER_CHECK(grad.sizes() == sizes(), "set_grad: assigned grad has data of a different "
                    "size (grad ", detail::describe(grad), ", tensor ", detail::describe(*this),
                    ")");
    }
    mutable_grad() = grad;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
    check_defined("grad_fn");
    requires_grad_fast(*this);  // brings a stale view's history up to date
    AutogradMeta* m = impl()->autograd_meta();
    return m ? m->grad_fn : nullptr;
}

bool Tensor::is_leaf() const { return grad_fn() == nullptr; }

uint32_t Tensor::output_nr() const {
    check_defined("output_nr");
    AutogradMeta* m = impl()->autograd_meta();
    return m ? m->output_nr : 0;
}

void Tensor::retain_grad() const {
    check_defined("retain_grad");
    EMBER_CHECK(requires_grad(), "can't retain_grad on Tensor that has requires_grad=False");
    AutogradMeta& m = impl()->ensure_autograd_meta();
    if (!m.grad_fn || m.retains_grad) return;  // a leaf keeps its grad anyway
    m.retains_grad = true;
    m.grad_fn->set_retained_grad(m.output_nr, &m.grad);
}

bool Tensor::retains_grad() const {
    check_defined("retains_grad");
    AutogradMeta* m = impl()->autograd_meta();
    return m && m->retains_grad;
}

Tensor Tensor::detach() const {
    check_defined("detach");
    if (is_sparse()) [[unlikely]]
        return detail::sparse_detach(*this);
    auto impl = make_intrusive<TensorImpl>(storage(), dtype(), sizes(), strides(), storage_offset());
    impl->set_inference(is_inference());
    return Tensor(std::move(impl));
}

Tensor& Tensor::detach_() {
    check_defined("detach_");
    AutogradMeta* m = impl()->autograd_meta();
    if (!m) return *this;
    EMBER_CHECK(!(is_view() && m->grad_fn), "Can't detach views in-place. Use detach() instead. (",
                detail::describe(*this), ", output of ", m->grad_fn ? m->grad_fn->name() : "", ")");
    if (m->retains_grad && m->grad_fn) m->grad_fn->set_retained_grad(m->output_nr, nullptr);
    m->retains_grad = false;
    m->grad_fn.reset();
    m->output_nr = 0;
    m->requires_grad = false;
    return *this;
}

bool Tensor::is_inference() const {
    check_defined("is_inference");
    return impl()->is_inference();
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph,
                      bool create_graph) const {
    autograd::backward({*this}, gradient.defined() ? TensorList{gradient} : TensorList{},
                       retain_graph, create_graph);
}

int Tensor::add_hook(std::function<Tensor(const Tensor&)> hook) const {
    check_defined("register_hook");
    EMBER_CHECK(requires_grad(), "cannot register a hook on a tensor that doesn't require "
                "gradient (", detail::describe(*this), ")");
    AutogradMeta& m = impl()->ensure_autograd_meta();
    if (m.grad_fn) return m.grad_fn->add_tensor_hook(m.output_nr, std::move(hook));
    int id = autograd::next_hook_id();
    m.hooks.emplace_back(id, std::move(hook));
    return id;
}

void Tensor::remove_hook(int handle) const {
    check_defined("remove_hook");
    AutogradMeta* m = impl()->autograd_meta();
    if (!m) return;
    if (m->grad_fn && m->grad_fn->remove_tensor_hook(handle)) return;
    for (auto it = m->hooks.begin(); it != m->hooks.end(); ++it)
        if (it->first == handle) {
            m->hooks.erase(it);
            return;
        }
}

}  // namespace ember
