// CsvTable: read_csv's named, typed columns and their conversion to tensors.
#include <algorithm>

#include "ember/io/csv.h"
#include "ember/ops/factory.h"

namespace ember::io {

const char* csv_type_name(CsvType type) {
    switch (type) {
        case CsvType::Int64: return "int64";
        case CsvType::Float64: return "float64";
        case CsvType::Bool: return "bool";
        case CsvType::String: return "string";
    }
    return "?";
}

CsvTable::CsvTable(std::vector<std::string> names, std::vector<CsvColumn> columns, int64_t rows,
                   Tensor block)
    : names_(std::move(names)),
      columns_(std::move(columns)),
      rows_(rows),
      block_(std::move(block)) {}

bool CsvTable::contains(const std::string& name) const {
    return std::find(names_.begin(), names_.end(), name) != names_.end();
}

const CsvColumn& CsvTable::column(const std::string& name, const char* op) const {
    const auto it = std::find(names_.begin(), names_.end(), name);
    if (it == names_.end()) {
        std::string all;
        for (const auto& n : names_) all += (all.empty() ? "\"" : ", \"") + n + "\"";
        EMBER_ERROR("CsvTable::", op, ": no column \"", name, "\" (columns: ", all, ")");
    }
    return columns_[static_cast<size_t>(it - names_.begin())];
}

CsvType CsvTable::type(const std::string& name) const { return column(name, "type").type; }

Tensor CsvTable::operator[](const std::string& name) const {
    const CsvColumn& c = column(name, "operator[]");
    EMBER_CHECK(c.type != CsvType::String, "CsvTable::operator[]: column \"", name,
                "\" holds strings, which a tensor can't; use strings(\"", name,
                "\") or read it with a numeric dtype");
    return c.values;
}

const std::vector<std::string>& CsvTable::strings(const std::string& name) const {
    const CsvColumn& c = column(name, "strings");
    EMBER_CHECK(c.type == CsvType::String, "CsvTable::strings: column \"", name, "\" is ",
                csv_type_name(c.type), ", not string; use table[\"", name, "\"]");
    return c.strings;
}

Tensor CsvTable::to_tensor(const std::vector<std::string>& columns, DType dtype) const {
    const std::vector<std::string>& chosen = columns.empty() ? names_ : columns;
    for (const auto& name : chosen)
        EMBER_CHECK(column(name, "to_tensor").type != CsvType::String, "CsvTable::to_tensor: column \"",
                    name, "\" holds strings, which a tensor can't");
    // The block already is this tensor (block_ is set only when every column is of its dtype):
    // no copy, or one contiguous conversion.
    if (block_.defined() && chosen == names_)
        return block_.dtype() == dtype ? block_ : block_.to(dtype);
    Tensor out = empty({rows_, static_cast<int64_t>(chosen.size())}, {.dtype = dtype});
    // Numeric columns are strided views of one row-major block: copied a tile of rows at a time,
    // the block's rows are read into the cache once, not once per column.
    const int64_t tile =
        std::max<int64_t>(1024, (int64_t{1} << 21) / (8 * std::max<int64_t>(1, num_columns())));
    std::vector<const Tensor*> sources;
    for (const auto& name : chosen) sources.push_back(&column(name, "to_tensor").values);
    for (int64_t first = 0; first < rows_; first += tile) {
        const int64_t n = std::min(tile, rows_ - first);
        const Tensor rows = out.narrow(0, first, n);
        for (size_t k = 0; k < sources.size(); ++k)
            rows.select(1, static_cast<int64_t>(k)).copy_(sources[k]->narrow(0, first, n));
    }
    return out;
}

}  // namespace ember::io
