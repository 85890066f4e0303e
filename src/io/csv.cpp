// read_csv: the file is split at record boundaries into chunks; a first parallel pass counts
// each chunk's records, which places its rows in one row-major block of 8-byte slots, and a
// second parallel pass parses each chunk straight into its rows, noting per chunk and column
// what the values were; the types are then merged as pandas infers one type per column. While
// every column of a chunk holds integers, a record of plain integers skips the general
// tokenizer (ChunkParser::plain_int_record).
//
// Chunk boundaries are found from the parity of quote characters before each nominal split
// point. A quote that does not open a field (inside a comment, or mid-field) can mislead that
// guess; the counting pass checks that every chunk ended exactly where the next one began, and
// on a mismatch the file is taken as one chunk. The chunk layout depends only on the file and
// chunk_bytes, never on the thread count, and merging gives the same columns for any layout.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <string_view>
#include <vector>

#include "ember/core/parallel.h"
#include "ember/core/tensor_impl.h"
#include "ember/io/csv.h"
#include "ember/ops/factory.h"
#include "io/csv_chunks.h"
#include "io/csv_tokenizer.h"

namespace ember::io {

using detail::Chunk;
using detail::Failure;
using detail::Kind;
using detail::Layout;
using detail::Mode;
using detail::Slots;
using detail::Source;
using detail::Tokenizer;

namespace {

constexpr int64_t kDefaultChunkBytes = int64_t{4} << 20;

std::vector<char> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    EMBER_CHECK(in, "read_csv: cannot open ", path, ": ", std::strerror(errno));
    const std::streamsize size = in.tellg();
    std::vector<char> bytes(static_cast<size_t>(std::max<std::streamsize>(size, 0)));
    in.seekg(0);
    EMBER_CHECK(in.read(bytes.data(), size), "read_csv: cannot read ", path);
    return bytes;
}

[[noreturn]] void report(const Source& src, const Layout& layout, const Failure& f) {
    std::string where = ember::detail::str_cat("read_csv: ", src.path, ": line ", src.line_of(f.where));
    if (f.column >= 0) {
        where += ember::detail::str_cat(", column ", f.column + 1);
        if (f.column < static_cast<int64_t>(layout.names.size()))
            where += " (\"" + layout.names[static_cast<size_t>(f.column)] + "\")";
    }
    EMBER_ERROR(where, ": ", f.message);
}

// A tensor of another 8-byte dtype over the same bytes (the block's float columns).
Tensor same_bytes_as(const Tensor& block, DType dtype) {
    return Tensor(make_intrusive<TensorImpl>(block.storage(), dtype, block.sizes(), block.strides(),
                                             block.storage_offset()));
}

}  // namespace

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
    EMBER_CHECK(options.delimiter != '\n' && options.delimiter != '\r' &&
                    options.delimiter != options.quote && options.delimiter != options.comment,
                "read_csv: the delimiter must differ from the quote, the comment character and "
                "newlines");
    EMBER_CHECK(options.chunk_bytes >= 0 && options.num_threads >= 0,
                "read_csv: chunk_bytes and num_threads must not be negative");
    Source src{path, read_bytes(path)};
    Tokenizer tok(options);
    const char* const end = src.end();
    const char* p = src.begin();
    // A UTF-8 byte order mark is not part of the first column's name.
    if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    p = tok.skip_ignorable(p, end);
    EMBER_CHECK(p < end, "read_csv: ", path, " has no columns to parse (the file is empty)");

    // Column names: from the header, or "0", "1", ... counted on the first record.
    Layout layout;
    {
        std::vector<std::string> first;
        int64_t nfields = 0;
        const char* open_quote = nullptr;
        const char* after = tok.record(
            p, end, [&](int64_t, std::string_view text, const char*) { first.emplace_back(text); },
            nfields, open_quote);
        if (!after) report(src, layout, {open_quote, -1, "a quoted field is never closed"});
        layout.file_columns = nfields;
        if (options.header) {
            std::set<std::string> seen;
            for (size_t i = 0; i < first.size(); ++i) {
                std::string name = first[i].empty() ? "Unnamed: " + std::to_string(i) : first[i];
                // Duplicates become "a.1", "a.2", ... as in pandas.
                const std::string base = name;
                for (int k = 1; seen.count(name); ++k) name = base + "." + std::to_string(k);
                seen.insert(name);
                layout.names.push_back(name);
            }
            p = after;
        } else {
            for (int64_t i = 0; i < nfields; ++i) layout.names.push_back(std::to_string(i));
        }
    }
    layout.slot.assign(static_cast<size_t>(layout.file_columns), -1);
    auto find_column = [&](const std::string& name, const char* what) {
        const auto it = std::find(layout.names.begin(), layout.names.end(), name);
        if (it == layout.names.end()) {
            std::string all;
            for (const auto& n : layout.names) all += (all.empty() ? "\"" : ", \"") + n + "\"";
            EMBER_ERROR("read_csv: ", path, ": ", what, " names column \"", name,
                        "\", which the file does not have (columns: ", all, ")");
        }
        return static_cast<size_t>(it - layout.names.begin());
    };
    if (options.columns.empty()) {
        for (int64_t i = 0; i < layout.file_columns; ++i) layout.slot[static_cast<size_t>(i)] = 0;
    } else {
        for (const auto& name : options.columns) layout.slot[find_column(name, "columns")] = 0;
    }
    for (int64_t i = 0; i < layout.file_columns; ++i) {
        if (layout.slot[static_cast<size_t>(i)] < 0) continue;
        layout.slot[static_cast<size_t>(i)] = static_cast<int64_t>(layout.file_column.size());
        layout.file_column.push_back(i);
    }
    const size_t ncols = layout.file_column.size();
    std::vector<Mode> modes(ncols, Mode::Auto);
    for (const auto& [name, type] : options.dtype) {
        const int64_t j = layout.slot[find_column(name, "dtype")];
        EMBER_CHECK(j >= 0, "read_csv: ", path, ": dtype names column \"", name,
                    "\", which is not among the selected columns");
        modes[static_cast<size_t>(j)] = type == CsvType::Int64     ? Mode::Int
                                        : type == CsvType::Float64 ? Mode::Float
                                        : type == CsvType::Bool    ? Mode::Bool
                                                                   : Mode::String;
    }

    // Each worker takes the next chunk until none is left.
    const int workers = options.num_threads > 0 ? options.num_threads : get_num_threads();
    const int64_t chunk_bytes = options.chunk_bytes > 0 ? options.chunk_bytes : kDefaultChunkBytes;
    auto for_chunks = [&](size_t count, auto&& work) {
        std::atomic<size_t> next{0};
        const int64_t w = std::min<int64_t>(workers, static_cast<int64_t>(count));
        parallel_for(0, w, 1, [&](int64_t, int64_t) {
            for (size_t i; (i = next.fetch_add(1)) < count;) work(i);
        });
    };
    std::vector<const char*> starts = split_points(src, p, chunk_bytes, options.quote, workers);
    std::vector<Chunk> chunks(starts.size());
    for (size_t i = 0; i < starts.size(); ++i) {
        chunks[i].begin = starts[i];
        chunks[i].end = i + 1 < starts.size() ? starts[i + 1] : end;
    }
    // Count the records of each chunk: their prefix sums place each chunk's rows in the block.
    for_chunks(chunks.size(), [&](size_t i) {
        Tokenizer counter(options);
        count_records(chunks[i], end, options, counter);
    });
    // A chunk that ran past its end means a split point fell inside a quoted field: then the
    // file is one chunk.
    for (size_t i = 0; i < chunks.size(); ++i) {
        if (chunks[i].open_quote)
            report(src, layout, {chunks[i].open_quote, -1, "a quoted field is never closed"});
        if (i + 1 < chunks.size() && chunks[i].stopped != chunks[i].end) {
            chunks.assign(1, Chunk{});
            chunks[0].begin = p;
            chunks[0].end = end;
            count_records(chunks[0], end, options, tok);
            if (chunks[0].open_quote)
                report(src, layout, {chunks[0].open_quote, -1, "a quoted field is never closed"});
            break;
        }
    }
    int64_t rows = 0;
    for (Chunk& c : chunks) {
        c.first_row = rows;
        rows += c.count;
    }
    const int64_t width = static_cast<int64_t>(ncols);
    Tensor block = empty({rows, width}, {.dtype = DType::Int64});
    int64_t* const slots = block.data_ptr<int64_t>();

    std::vector<std::vector<Mode>> chunk_modes(chunks.size(), modes);
    auto parse_all = [&](const std::vector<size_t>& which) {
        for_chunks(which.size(), [&](size_t k) {
            parse_chunk(src, options, layout, slots, chunks[which[k]], chunk_modes[which[k]]);
        });
    };
    std::vector<size_t> all(chunks.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    parse_all(all);
    for (const Chunk& c : chunks)
        if (c.failure.where) report(src, layout, c.failure);

    // Merge: pieces read as something else in a string column are read again as strings.
    std::vector<CsvType> types(ncols);
    std::vector<size_t> again;
    for (size_t i = 0; i < chunks.size(); ++i) {
        bool redo = false;
        for (size_t j = 0; j < ncols; ++j) {
            if (i == 0)
                types[j] = modes[j] == Mode::Int     ? CsvType::Int64
                           : modes[j] == Mode::Float ? CsvType::Float64
                           : modes[j] == Mode::Bool  ? CsvType::Bool
                           : modes[j] == Mode::String ? CsvType::String
                                                      : merged_type(chunks, j);
            if (types[j] == CsvType::String && chunks[i].pieces[j].kind != Kind::String) {
                chunk_modes[i][j] = Mode::String;
                redo = true;
            }
        }
        if (redo) again.push_back(i);
    }
    if (!again.empty()) parse_all(again);
    if (!options.missing_as_nan) {
        for (size_t j = 0; j < ncols; ++j) {
            if (types[j] == CsvType::String) continue;
            for (const Chunk& c : chunks)
                if (c.pieces[j].first_missing)
                    report(src, layout, {c.pieces[j].first_missing, layout.file_column[j],
                                         ember::detail::str_cat("missing value in a ",
                                                                csv_type_name(types[j]),
                                                                " column (missing_as_nan is false)")});
        }
    }
    // Integer pieces of float columns become doubles where they lie.
    for_chunks(chunks.size(), [&](size_t i) {
        Chunk& c = chunks[i];
        for (size_t j = 0; j < ncols; ++j)
            if (types[j] == CsvType::Float64 && c.pieces[j].kind == Kind::Int) {
                const Slots column{slots + c.first_row * width + static_cast<int64_t>(j), width};
                c.pieces[j].to_float(column, c.rows);
            }
    });

    // Numeric columns are views of the block; bools are copied out of it, strings gathered.
    std::vector<CsvColumn> columns(ncols);
    bool all_int = true, all_float = true;
    for (size_t j = 0; j < ncols; ++j) {
        all_int = all_int && types[j] == CsvType::Int64;
        all_float = all_float && types[j] == CsvType::Float64;
    }
    Tensor as_float = same_bytes_as(block, DType::Float64);
    parallel_for(0, static_cast<int64_t>(ncols), 1, [&](int64_t b, int64_t e) {
        for (int64_t jj = b; jj < e; ++jj) {
            const size_t j = static_cast<size_t>(jj);
            CsvColumn& col = columns[j];
            col.type = types[j];
            if (col.type == CsvType::String) {
                col.strings.reserve(static_cast<size_t>(rows));
                for (Chunk& c : chunks) {
                    for (std::string& s : c.pieces[j].strings) col.strings.push_back(std::move(s));
                    c.pieces[j].strings = {};
                }
            } else if (col.type == CsvType::Bool) {
                col.values = empty({rows}, {.dtype = DType::Bool});
                bool* out = col.values.data_ptr<bool>();
                for (int64_t r = 0; r < rows; ++r) out[r] = slots[r * width + jj] != 0;
            } else {
                col.values = (col.type == CsvType::Int64 ? block : as_float).select(1, jj);
            }
        }
    });
    std::vector<std::string> names;
    for (int64_t f : layout.file_column) names.push_back(layout.names[static_cast<size_t>(f)]);
    // The whole block is the table's tensor when every column is numeric of one type.
    Tensor whole = all_int ? block : all_float ? as_float : Tensor();
    return CsvTable(std::move(names), std::move(columns), rows, std::move(whole));
}

}  // namespace ember::io
