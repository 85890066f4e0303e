// The crash test's training run, shared by crash_trainer (which trains until it is killed) and
// test_crash_safety.cpp (which checks what each killed run left): the model, its optimizer and
// the files of a run folder.
//
//   <dir>/checkpoints/model.safetensors      the model, metadata {step, checksum}
//   <dir>/checkpoints/optimizer.safetensors  Adam's state (its "0.step" counts the steps)
//   <dir>/runs/events.out.tfevents.*         one event file per started run
//
// Both checkpoint files are overwritten in place every kSaveEvery steps, model first: a run
// killed between the two saves leaves a model one save ahead of the optimizer.
#pragma once

#include <ember/ember.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace ember::crash_test {

constexpr int64_t kSaveEvery = 3;

struct TrainingRun {
    nn::Sequential model{nn::Linear(8, 256), nn::ReLU(), nn::Linear(256, 256), nn::ReLU(),
                         nn::Linear(256, 1)};
    optim::Adam optimizer{model.parameters(), {.lr = 1e-3}};
};

inline std::filesystem::path checkpoint_dir(const std::filesystem::path& dir) {
    return dir / "checkpoints";
}
inline std::filesystem::path model_path(const std::filesystem::path& dir) {
    return checkpoint_dir(dir) / "model.safetensors";
}
inline std::filesystem::path optimizer_path(const std::filesystem::path& dir) {
    return checkpoint_dir(dir) / "optimizer.safetensors";
}
inline std::filesystem::path event_dir(const std::filesystem::path& dir) { return dir / "runs"; }

// The sum of every float of the state dict, in order, printed exactly: stored in the model
// file's metadata, it tells a file holding the bytes that were written from any other (a mix
// of an old and a new checkpoint of the same size has a valid layout but another sum).
inline std::string checksum(const OrderedDict<Tensor>& state) {
    double sum = 0;
    for (const auto& [name, t] : state) {
        const Tensor c = t.detach().contiguous();
        const float* values = c.data_ptr<float>();
        for (int64_t i = 0; i < c.numel(); ++i) sum += values[i];
    }
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", sum);
    return text;
}

// Adam's step count ("0.step" of its state dict), 0 before the first step.
inline int64_t optimizer_steps(const optim::StateDict& state) {
    return state.state.contains("0.step")
               ? static_cast<int64_t>(state.state.at("0.step").item<double>())
               : 0;
}

}  // namespace ember::crash_test
