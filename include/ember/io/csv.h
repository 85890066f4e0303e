// Reading CSV files into named, typed columns, with pandas.read_csv's type inference:
//
//   auto table = ember::io::read_csv("covtype.csv");
//   Tensor y = table["Cover_Type"];                                   // int64, one per row
//   Tensor x = table.to_tensor({"Elevation", "Slope"}, ember::float32);  // [rows, 2]
//
// A column is int64 if every value parses as an integer, else float64 if every value parses
// as a number, else bool if every value is True/False/TRUE/FALSE/true/false, else string.
// Missing values (an empty field or one of pandas' default NA strings: NA, NaN, nan, NULL,
// null, N/A, n/a, #N/A, <NA>, ...) make an integer column float64 with NaN in their place, a
// bool column string, and are "" in a string column. Blank and whitespace-only lines are
// skipped. A record with more or fewer fields than the header is an error naming the file, line
// and column (pandas pads a short record with NaN; ember refuses it). The file is parsed in
// chunks on several threads; the result does not depend on the number of threads.
//
// Numbers as pandas' C parser reads them: spaces and tabs around a number are allowed
// (" 12 " is 12), "inf"/"Infinity" in any case with an optional sign are infinities but not
// with spaces around them, and a float beyond float64's range ("1e400") makes the column
// string (one below it reads as 0). An integer beyond int64 makes the column string, with every
// value as written, never wrapped or rounded: pandas reads 2^63 .. 2^64-1 as uint64, which ember
// doesn't have, and after a float in the same column reads it as a float, an order dependence
// ember doesn't copy. Asked for float64 (options.dtype), it is read as the nearest double.
//
// Memory: every numeric column is a view into one row-major [rows, columns] block of 8-byte
// slots that the parser fills directly (a string or bool column's slots are unused), so a
// column is a strided, non-contiguous tensor, and any column keeps the whole block alive.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ember/core/tensor.h"

namespace ember::io {

enum class CsvType { Int64, Float64, Bool, String };
const char* csv_type_name(CsvType type);

struct CsvOptions {
    bool header = true;         // the first record names the columns; else they are "0", "1", ...
    char delimiter = ',';
    char quote = '"';           // a field starting with it runs to the matching one; "" inside is "
    char comment = '\0';        // the rest of a line after it is ignored ('\0': no comments)
    std::vector<std::string> columns;        // read only these (kept in file order); empty: all
    std::map<std::string, CsvType> dtype;    // a column's type instead of the inferred one
    bool missing_as_nan = true;  // false: a missing value outside a string column is an error
    int num_threads = 0;         // at most this many threads (0: ember::get_num_threads())
    int64_t chunk_bytes = 0;     // the parallel unit (0: 4 MiB); the result does not depend on it
};

class CsvColumn {
public:
    CsvType type = CsvType::Float64;
    Tensor values;  // int64, float64 (a view of the table's block) or bool, [rows]; none for strings
    std::vector<std::string> strings;  // the values of a string column
};

class CsvTable {
public:
    CsvTable() = default;
    // `block`, if defined: the [rows, columns] tensor whose columns are `columns`' values.
    CsvTable(std::vector<std::string> names, std::vector<CsvColumn> columns, int64_t rows,
             Tensor block = Tensor());

    const std::vector<std::string>& column_names() const { return names_; }
    int64_t num_rows() const { return rows_; }
    int64_t num_columns() const { return static_cast<int64_t>(names_.size()); }
    bool contains(const std::string& name) const;
    CsvType type(const std::string& name) const;

    // A numeric or bool column as a 1-D tensor (shared, not copied: a numeric column is a strided
    // view of the table's block); string columns are an error.
    Tensor operator[](const std::string& name) const;
    // A string column's values.
    const std::vector<std::string>& strings(const std::string& name) const;
    // The named columns (all when empty) side by side: [rows, columns] of `dtype`, a new tensor;
    // except when they are all the table's columns in order, all of type `dtype` (int64 or
    // float64): then it is the table's block itself, not a copy, sharing memory with the table
    // and its columns (like torch.from_numpy(frame.values)).
    Tensor to_tensor(const std::vector<std::string>& columns = {}, DType dtype = DType::Float32) const;

private:
    const CsvColumn& column(const std::string& name, const char* op) const;

    std::vector<std::string> names_;
    std::vector<CsvColumn> columns_;
    int64_t rows_ = 0;
    Tensor block_;
};

CsvTable read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace ember::io
