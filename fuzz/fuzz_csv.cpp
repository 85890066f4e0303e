// CSV files through ember::io::read_csv. The input's first byte picks the options (so that the
// delimiters, comments, quoting rules and the parallel chunking are all reached); the rest is
// the file.
//   bit 0: header          bits 1-2: delimiter , ; \t |     bit 3: '#' comments
//   bit 4: missing_as_nan  bits 5-6: chunk_bytes 0 (4 MiB), 1, 7, 64   bit 7: 2 threads, else 1
#include <optional>

#include "ember/io/csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t bits = data[0];
    ember::io::CsvOptions options;
    options.header = bits & 1;
    options.delimiter = ",;\t|"[(bits >> 1) & 3];
    options.comment = (bits & 8) ? '#' : '\0';
    options.missing_as_nan = bits & 16;
    const int64_t chunk_bytes[] = {0, 1, 7, 64};
    options.chunk_bytes = chunk_bytes[(bits >> 5) & 3];
    options.num_threads = (bits & 128) ? 2 : 1;
    const std::string path = ember_fuzz::write_input("input.csv", data + 1, size - 1);
    std::optional<ember::io::CsvTable> table;
    ember_fuzz::expect_only_ember_errors(path, [&] { table = ember::io::read_csv(path, options); });
    if (!table) return 0;
    // The table is whole: every column has one value per row, and numeric ones can be used.
    bool numeric = true;
    for (const std::string& name : table->column_names()) {
        if (table->type(name) == ember::io::CsvType::String) {
            numeric = false;
            if (table->strings(name).size() != size_t(table->num_rows())) std::abort();
        } else if (table->type(name) == ember::io::CsvType::Bool) {
            numeric = false;
            if (table->operator[](name).numel() != table->num_rows()) std::abort();
        } else {
            const ember::Tensor column = table->operator[](name);
            if (column.numel() != table->num_rows()) std::abort();
            // (as doubles: an int64 sum may overflow, which is not the reader's concern)
            column.to(ember::DType::Float64).sum();
        }
    }
    if (numeric && table->num_columns() > 0) table->to_tensor();
    return 0;
}
