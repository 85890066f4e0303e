// Grad modes: whether ops record the graph, per thread (as PyTorch's torch.no_grad(),
// torch.enable_grad(), torch.set_grad_enabled() and torch.inference_mode()).
//
//   {
//       ember::NoGradGuard no_grad;   // results of ops here neither require grad nor record
//       w.sub_(lr * w.grad());        // in-place updates of leaves are allowed here
//   }
#pragma once

namespace ember {

// True unless a NoGradGuard (or InferenceMode) is alive on this thread.
bool is_grad_enabled();
void set_grad_enabled(bool enabled);
// True while an InferenceMode guard is alive on this thread.
bool is_inference_mode_enabled();

// Sets grad mode for its lifetime and restores the previous mode after (torch.set_grad_enabled
// as a context manager).
class AutoGradMode {
public:
    explicit AutoGradMode(bool enabled);
    ~AutoGradMode();
    AutoGradMode(const AutoGradMode&) = delete;
    AutoGradMode& operator=(const AutoGradMode&) = delete;

private:
    bool previous_;
};

// torch.no_grad()
class NoGradGuard : public AutoGradMode {
public:
    NoGradGuard() : AutoGradMode(false) {}
};

// torch.enable_grad(): grad mode back on inside a NoGradGuard.
class EnableGradGuard : public AutoGradMode {
public:
    EnableGradGuard() : AutoGradMode(true) {}
};

// torch.inference_mode(): no grad mode, and every tensor created while it lives is an
// "inference tensor" (is_inference()) that autograd refuses to save for backward or update in
// place afterwards. InferenceMode(false) is a no-op guard, as in PyTorch.
class InferenceMode {
public:
    explicit InferenceMode(bool enabled = true);
    ~InferenceMode();
    InferenceMode(const InferenceMode&) = delete;
    InferenceMode& operator=(const InferenceMode&) = delete;

private:
    bool previous_grad_;
    bool previous_inference_;
};

}  // namespace ember
