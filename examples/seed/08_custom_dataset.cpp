// Seed rows 8-9: a custom Dataset (the seed's CustomDataset over covtype.csv, here a 14-row
// sample with covtype's 55 columns) answering its length and one (features, label) sample,
// and a DataLoader that batches and shuffles it, iterated as the seed does with enumerate.
//
//   build/release/examples/seed_08_custom_dataset examples/seed/data
//
// The output equals tools/golden/seed/08_custom_dataset.py's under PyTorch, shuffle included
// (CTest: Seed.08_custom_dataset).
#include <ember/ember.h>

#include <iostream>
#include <string>
#include <utility>

using ember::Slice;
using ember::Tensor;

// class CustomDataset(Dataset): samples are (features, label) pairs of tensors.
class CustomDataset : public ember::data::Dataset<> {
public:
    // def __init__(self, csv_file): self.label = pd.read_csv(csv_file)
    explicit CustomDataset(const std::string& csv_file)
        : label_(ember::io::read_csv(csv_file).to_tensor({}, ember::int64)) {}

    // def __len__(self): return len(self.label)
    int64_t size() const override { return label_.size(0); }

    // def __getitem__(self, idx):
    //     sample = torch.tensor(self.label.iloc[idx, 0:3]).int()
    //     label = torch.tensor(self.label.iloc[idx, 3]).int()
    std::pair<Tensor, Tensor> get(int64_t idx) const override {
        Tensor sample = label_.index({idx, Slice(0, 3)}).to_int();
        Tensor label = label_.index({idx, 3}).to_int();
        return {sample, label};
    }

private:
    Tensor label_;  // the whole table, [rows, 55] int64 (every covtype column is an integer)
};

int main(int argc, char** argv) {
    const std::string data_dir = argc > 1 ? argv[1] : "examples/seed/data";
    try {
        // torch.manual_seed(0): fixes the DataLoader's shuffle
        ember::manual_seed(0);
        // tensor_dataset = CustomDataset('covtype.csv')
        CustomDataset tensor_dataset(data_dir + "/covtype_sample.csv");
        std::cout << "len: " << tensor_dataset.size() << "\n";
        auto [sample, label] = tensor_dataset.get(0);
        std::cout << sample << " " << label << "\n";

        // dataset = DataLoader(tensor_dataset, batch_size=4, shuffle=True)
        ember::data::DataLoader dataset(tensor_dataset, {.batch_size = 4, .shuffle = true});
        // for i, data in enumerate(dataset, 0): batch = data[0]; print(i, batch.size())
        int i = 0;
        for (auto& data : dataset) {
            const Tensor& batch = data.first;
            std::cout << i++ << " " << batch.sizes() << "\n" << batch << "\n" << data.second << "\n";
        }
    } catch (const ember::Error& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
