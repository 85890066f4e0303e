// The demo's checkpoints: after epoch N, the folder <dir>/epoch_N/ holds model.safetensors (the
// weights alone: what the inference example, or any safetensors reader, loads),
// optimizer.safetensors (SGD's momentum buffers and groups) and trainer.safetensors (the
// scheduler's state and the random generator's, so a resumed run shuffles as an uninterrupted
// one would). The three files are written into a hidden folder that is renamed into place
// last, so a crash mid-save leaves the previous epochs' folders as they were.
#pragma once

#include <ember/ember.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace examples {

struct TrainingState {
    ember::nn::Module& model;
    bool seed_exact;  // which layer3 the model has (kept in model.safetensors' metadata)
    ember::optim::Optimizer& optimizer;
    ember::optim::lr_scheduler::LRScheduler& scheduler;
};

inline std::filesystem::path epoch_folder(const std::filesystem::path& dir, int64_t epoch) {
    return dir / ("epoch_" + std::to_string(epoch));
}

inline void save_checkpoint(const std::filesystem::path& dir, int64_t epoch,
                            const TrainingState& state) {
    namespace fs = std::filesystem;
    const fs::path final_folder = epoch_folder(dir, epoch);
    const fs::path partial = dir / (".epoch_" + std::to_string(epoch) + ".partial");
    fs::remove_all(partial);
    fs::create_directories(partial);
    ember::save(state.model.state_dict(), (partial / "model.safetensors").string(),
                {{"epoch", std::to_string(epoch)},
                 {"seed_exact", state.seed_exact ? "true" : "false"}});
    ember::save(state.optimizer.state_dict(), (partial / "optimizer.safetensors").string());
    ember::OrderedDict<ember::Tensor> trainer;
    for (const auto& [name, value] : state.scheduler.state_dict())
        trainer.insert("scheduler." + name, value);
    trainer.insert("rng_state", ember::get_rng_state());
    ember::save(trainer, (partial / "trainer.safetensors").string(),
                {{"epoch", std::to_string(epoch)}});
    fs::remove_all(final_folder);  // an older run's epoch of the same number
    fs::rename(partial, final_folder);
}

// The highest N with a complete <dir>/epoch_N/, if any.
inline std::optional<int64_t> latest_epoch(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::optional<int64_t> latest;
    if (!fs::is_directory(dir)) return latest;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory() || !name.starts_with("epoch_")) continue;
        const std::string digits = name.substr(6);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
        const int64_t epoch = std::stoll(digits);
        if (!latest || epoch > *latest) latest = epoch;
    }
    return latest;
}

// Restores everything save_checkpoint wrote for `epoch`.
inline void load_checkpoint(const std::filesystem::path& dir, int64_t epoch,
                            const TrainingState& state) {
    const std::filesystem::path folder = epoch_folder(dir, epoch);
    const auto metadata = ember::load_metadata((folder / "model.safetensors").string());
    const auto exact = metadata.find("seed_exact");
    if (exact == metadata.end() || (exact->second == "true") != state.seed_exact)
        throw std::runtime_error(folder.string() + " holds a model " +
                                 (exact != metadata.end() && exact->second == "true"
                                      ? "with"
                                      : "without") +
                                 " --seed-exact's final ReLU; resume with the same layers");
    state.model.load_state_dict(ember::load((folder / "model.safetensors").string()));
    state.optimizer.load_state_dict(
        ember::optim::StateDict::load((folder / "optimizer.safetensors").string()));
    ember::OrderedDict<ember::Tensor> scheduler;
    ember::Tensor rng_state;
    for (const auto& [name, value] : ember::load((folder / "trainer.safetensors").string())) {
        if (name.starts_with("scheduler."))
            scheduler.insert(name.substr(10), value);
        else if (name == "rng_state")
            rng_state = value;
    }
    state.scheduler.load_state_dict(scheduler);
    if (rng_state.defined()) ember::set_rng_state(rng_state);
}

}  // namespace examples
