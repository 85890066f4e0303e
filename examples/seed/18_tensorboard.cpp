// TensorBoard logging (seed row 18): the seed's SummaryWriter loop, each batch's loss logged
// under "Loss" at its epoch, then what the event file holds. Afterwards
// `tensorboard --logdir=tensorboard` (in the folder the program ran in) shows the curve.
//
//   cmake --build build/release --target seed_18_tensorboard && build/release/examples/seed_18_tensorboard
#include <ember/ember.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>

using namespace ember;
namespace fs = std::filesystem;

// The records of an event file (TFRecord framing: a little-endian uint64 length, its CRC, the
// data, the data's CRC). The first record is the file's version header; each add_scalar adds one.
int64_t count_records(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    int64_t count = 0;
    uint64_t length = 0;
    while (in.read(reinterpret_cast<char*>(&length), sizeof length)) {  // x86/ARM: little-endian
        in.seekg(static_cast<std::streamoff>(4 + length + 4), std::ios::cur);
        ++count;
    }
    return count;
}

int main() {
    try {
        manual_seed(0);
        Device device = "cpu";  // the seed's device; "cuda" where there is one
        // float64 features and targets: the loop's .float() turns them into float32.
        Tensor x_all = randn({64, 3}, {.dtype = float64});
        Tensor y_all = x_all.matmul(tensor({{1.0}, {-1.0}, {0.5}}, {.dtype = float64})) + 0.2;
        data::TensorDataset dataset(x_all, y_all);
        data::DataLoader dataloader(dataset, {.batch_size = 16, .shuffle = true});
        nn::Linear model(3, 1);
        model.to(device);
        nn::MSELoss criterion;
        optim::SGD optimizer(model.parameters(), {.lr = 0.1});
        int num_epochs = 5;

        fs::remove_all("tensorboard");  // this run's records only
        // writer = SummaryWriter("tensorboard")
        tensorboard::SummaryWriter writer("tensorboard");
        for (int epoch = 0; epoch < num_epochs; ++epoch) {
            model.train();
            std::cout << "epoch " << epoch << ": logged";
            for (auto [x, y] : dataloader) {
                // x, y = x.to(device).float(), y.to(device).float()
                x = x.to(device).to_float(), y = y.to(device).to_float();
                Tensor outputs = model(x);
                Tensor loss = criterion(outputs, y);
                // writer.add_scalar("Loss", loss, epoch)
                writer.add_scalar("Loss", loss, epoch);
                std::cout << " " << std::fixed << std::setprecision(6) << loss.item<double>();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            std::cout << "\n";
        }
        writer.close();

        int64_t files = 0, scalars = 0;
        for (const auto& entry : fs::directory_iterator("tensorboard"))
            if (entry.path().filename().string().starts_with("events.out.tfevents.")) {
                ++files;
                scalars += count_records(entry.path()) - 1;  // all but the version header
            }
        std::cout << "event files: " << files << "\nscalar records: " << scalars << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
