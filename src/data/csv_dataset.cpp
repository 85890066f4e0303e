// CsvDataset: one read_csv, then the feature columns side by side and the label column.
#include "ember/data/csv_dataset.h"

#include <algorithm>

#include "ember/core/error.h"

namespace ember::data {

CsvDataset::CsvDataset(const std::string& path, const CsvDatasetOptions& options) {
    const io::CsvTable table = io::read_csv(path, options.csv);
    const std::vector<std::string>& names = table.column_names();
    EMBER_CHECK(!names.empty(), "CsvDataset: ", path, " has no columns");
    const std::string label = options.label.empty() ? names.back() : options.label;
    EMBER_CHECK(table.contains(label), "CsvDataset: ", path, " has no label column \"", label,
                "\"");
    feature_names_ = options.features;
    if (feature_names_.empty())
        std::copy_if(names.begin(), names.end(), std::back_inserter(feature_names_),
                     [&](const std::string& n) { return n != label; });
    EMBER_CHECK(!feature_names_.empty(), "CsvDataset: ", path,
                " has no feature columns besides the label \"", label, "\"");
    EMBER_CHECK(std::find(feature_names_.begin(), feature_names_.end(), label) ==
                    feature_names_.end(),
                "CsvDataset: the label column \"", label, "\" is also listed as a feature");
    features_ = table.to_tensor(feature_names_, options.feature_dtype);
    labels_ = table.to_tensor({label}, options.label_dtype).view({-1});
}

std::pair<Tensor, Tensor> CsvDataset::get(int64_t index) const {
    EMBER_CHECK(index >= -size() && index < size(), "CsvDataset: index ", index,
                " is out of range for ", size(), " rows");
    return {features_[index], labels_[index]};
}

}  // namespace ember::data
