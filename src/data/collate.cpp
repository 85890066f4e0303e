// default_collate's leaves: stacking tensors and turning numbers into 1-D tensors.
#include "ember/data/collate.h"

#include "ember/core/error.h"
#include "ember/ops/factory.h"
#include "ember/ops/shape.h"

namespace ember::data::detail {

Tensor collate_tensors(const std::vector<const Tensor*>& items) {
    TensorList tensors;
    tensors.reserve(items.size());
    for (const Tensor* t : items) tensors.push_back(*t);
    try {
        return stack(tensors, 0);
    } catch (const Error& e) {
        throw Error(std::string("default_collate: ") + e.what());
    }
}

Tensor collate_integers(const std::vector<int64_t>& values) {
    Tensor out = empty({static_cast<int64_t>(values.size())}, {.dtype = int64});
    std::copy(values.begin(), values.end(), out.data_ptr<int64_t>());
    return out;
}

Tensor collate_floats(const std::vector<double>& values, DType dtype) {
    Tensor out = empty({static_cast<int64_t>(values.size())}, {.dtype = float64});
    std::copy(values.begin(), values.end(), out.data_ptr<double>());
    return dtype == float64 ? out : out.to(dtype);
}

Tensor collate_bools(const std::vector<bool>& values) {
    Tensor out = empty({static_cast<int64_t>(values.size())}, {.dtype = bool_});
    bool* p = out.data_ptr<bool>();
    for (size_t i = 0; i < values.size(); ++i) p[i] = values[i];
    return out;
}

void collate_size_mismatch(size_t first, size_t other, size_t at) {
    EMBER_ERROR("default_collate: each element in list of batch should be of equal size, got ",
                first, " elements in sample 0 and ", other, " in sample ", at);
}

void collate_missing_key(size_t at) {
    EMBER_ERROR("default_collate: sample ", at, " lacks a key that sample 0 has");
}

}  // namespace ember::data::detail
