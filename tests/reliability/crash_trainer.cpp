// The crash test's trainer (test_crash_safety.cpp kills it with SIGKILL): trains crash_run.h's
// model, resuming from the checkpoint in DIR if there is one, logs the loss every step (and a
// large text record every few steps, whose write a kill can cut in two) and saves the model and
// the optimizer every kSaveEvery steps, so that a kill at a random time lands in a save or an
// event write as often as in a training step.
//
//   crash_trainer DIR [STEPS]     trains until killed, or until the step count reaches STEPS
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "reliability/crash_run.h"

using namespace ember;
using namespace ember::crash_test;

namespace {

// Larger than stdio's buffer and several pages, so it goes to the file in more than one piece.
constexpr size_t kTextBytes = 64 * 1024;
constexpr int64_t kTextEvery = 5;

void save_checkpoint(TrainingRun& run, const std::filesystem::path& dir, int64_t step) {
    const OrderedDict<Tensor> state = run.model.state_dict();
    save(state, model_path(dir).string(),
         {{"step", std::to_string(step)}, {"checksum", checksum(state)}});
    save(run.optimizer.state_dict(), optimizer_path(dir).string());
}

// The step to continue from: the optimizer's, when both files are there (the model may be one
// save ahead, if the last run was killed between the two saves).
int64_t resume(TrainingRun& run, const std::filesystem::path& dir) {
    if (!std::filesystem::exists(model_path(dir)) || !std::filesystem::exists(optimizer_path(dir)))
        return 0;
    run.model.load_state_dict(load(model_path(dir).string()));
    const optim::StateDict optimizer_state = optim::StateDict::load(optimizer_path(dir).string());
    run.optimizer.load_state_dict(optimizer_state);
    return optimizer_steps(optimizer_state);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: crash_trainer DIR [STEPS]\n";
        return 2;
    }
    try {
        const std::filesystem::path dir = argv[1];
        const int64_t stop = argc == 3 ? std::stoll(argv[2]) : -1;
        set_num_threads(1);  // dozens of these start one after another on a small machine
        manual_seed(0);
        TrainingRun run;
        std::filesystem::create_directories(checkpoint_dir(dir));
        int64_t step = resume(run, dir);

        tensorboard::SummaryWriter writer(event_dir(dir).string());
        const Tensor x = randn({64, 8});
        const Tensor y = x.sum({1}, /*keepdim=*/true);
        nn::MSELoss criterion;
        const std::string text(kTextBytes, 'x');
        while (stop < 0 || step < stop) {
            run.optimizer.zero_grad();
            const Tensor loss = criterion(run.model(x), y);
            loss.backward();
            run.optimizer.step();
            ++step;
            writer.add_scalar("loss", loss.item<double>(), step);
            if (step % kTextEvery == 0) writer.add_text("notes", text, step);
            writer.flush();
            if (step % kSaveEvery == 0) save_checkpoint(run, dir, step);
        }
        writer.close();
    } catch (const std::exception& e) {
        std::cerr << "crash_trainer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
