// data::CsvDataset: the rows of a CSV file as (features, label) samples, read once with
// io::read_csv. The seed's covtype example:
//
//   data::CsvDataset covtype("covtype.csv", {.label = "Cover_Type"});   // 54 features, 1 label
//   data::DataLoader loader(covtype, {.batch_size = 4, .shuffle = true});
//   for (auto& [x, y] : loader) ...                  // x: [4, 54] float32, y: [4] int64
#pragma once

#include <string>
#include <vector>

#include "ember/data/dataset.h"
#include "ember/io/csv.h"

namespace ember::data {

struct CsvDatasetOptions {
    std::string label;                  // the label column; empty: the last one
    std::vector<std::string> features;  // the feature columns; empty: every other column
    DType feature_dtype = DType::Float32;
    DType label_dtype = DType::Int64;
    io::CsvOptions csv;                 // how the file is read
};

class CsvDataset : public Dataset<> {
public:
    explicit CsvDataset(const std::string& path, const CsvDatasetOptions& options = {});

    int64_t size() const override { return features_.size(0); }
    // Row i: its features [features] and its label (0-dim).
    std::pair<Tensor, Tensor> get(int64_t index) const override;

    // All rows at once: [rows, features] and [rows].
    const Tensor& features() const { return features_; }
    const Tensor& labels() const { return labels_; }
    const std::vector<std::string>& feature_names() const { return feature_names_; }

private:
    Tensor features_, labels_;
    std::vector<std::string> feature_names_;
};

}  // namespace ember::data
