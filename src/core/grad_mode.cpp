// The per-thread grad mode and inference mode flags.
#include "ember/autograd/grad_mode.h"

namespace ember {

namespace {
thread_local bool t_grad_enabled = true;
thread_local bool t_inference_mode = false;
}  // namespace

bool is_grad_enabled() { return t_grad_enabled; }
void set_grad_enabled(bool enabled) { t_grad_enabled = enabled; }
bool is_inference_mode_enabled() { return t_inference_mode; }

AutoGradMode::AutoGradMode(bool enabled) : previous_(t_grad_enabled) { t_grad_enabled = enabled; }
AutoGradMode::~AutoGradMode() { t_grad_enabled = previous_; }

InferenceMode::InferenceMode(bool enabled)
    : previous_grad_(t_grad_enabled), previous_inference_(t_inference_mode) {
    if (!enabled) return;
    t_grad_enabled = false;
    t_inference_mode = true;
}
InferenceMode::~InferenceMode() {
    t_grad_enabled = previous_grad_;
    t_inference_mode = previous_inference_;
}

}  // namespace ember
