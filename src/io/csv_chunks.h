// read_csv's chunks: the file, the typed column pieces a chunk parses into, the passes over them.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ember/io/csv.h"
#include "io/csv_tokenizer.h"

namespace ember::io::detail {

// ---- the file ----

struct Source {
    std::string path;
    std::vector<char> bytes;
    const char* begin() const { return bytes.data(); }
    const char* end() const { return bytes.data() + bytes.size(); }

    // 1-based line of a byte offset (only computed for error messages).
    int64_t line_of(const char* p) const {
        return 1 + std::count(begin(), p, '\n');
    }
};

// ---- typed column pieces ----
//
// Every chunk parses straight into its rows of one row-major block of 8-byte slots
// [rows, columns]: an integer as int64, a float (or a missing value, as NaN) as the bits of a
// double, a bool as 0/1; string columns keep their values aside and leave their slots unused.
// A chunk's column read as integers that the whole column needs as floats is converted in place.

// A column's type within one chunk. Empty: only missing values so far (their slots hold NaN).
enum class Kind : uint8_t { Empty, Int, Float, Bool, String };

// One column's rows of one chunk in the block: slot r is at[r * stride].
struct Slots {
    int64_t* at = nullptr;
    int64_t stride = 0;
    int64_t& operator[](int64_t r) const { return at[r * stride]; }
    void set_double(int64_t r, double v) const { (*this)[r] = std::bit_cast<int64_t>(v); }
};

// Whether a field's text starts with '-' (after spaces and tabs): "-0" reads as -0.0.
inline bool is_negative_text(std::string_view text) {
    size_t k = 0;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    return k < text.size() && text[k] == '-';
}

struct Piece {
    Kind kind = Kind::Empty;
    std::vector<std::string> strings;
    std::vector<int64_t> negative_zeros;  // rows whose int was read from "-0": -0.0 as floats
    const char* first_missing = nullptr;

    void push_int(Slots slots, int64_t row, int64_t v, std::string_view text) {
        if (v == 0 && is_negative_text(text)) negative_zeros.push_back(row);
        slots[row] = v;
    }

    // The first `rows` slots, read as integers, become doubles.
    void to_float(Slots slots, int64_t rows) {
        if (kind == Kind::Int) {
            for (int64_t r = 0; r < rows; ++r) slots.set_double(r, static_cast<double>(slots[r]));
            for (int64_t r : negative_zeros) slots.set_double(r, -0.0);
        }
        negative_zeros = {};
        kind = Kind::Float;
    }
};

// How a column is read: inferred, or fixed (by dtype or because it turned out to be strings).
enum class Mode : uint8_t { Auto, Int, Float, Bool, String };

struct Failure {
    const char* where = nullptr;  // null: none
    int64_t column = -1;          // file column (0-based), -1 for the record as a whole
    std::string message;
};

struct Chunk {
    const char* begin = nullptr;
    const char* end = nullptr;       // nominal end: the next chunk's begin
    const char* stopped = nullptr;   // where counting actually stopped
    const char* open_quote = nullptr;  // a quote the counting found never closed
    int64_t count = 0;               // records, from the counting pass
    int64_t first_row = 0;           // its first record's row in the table
    int64_t rows = 0;                // records parsed
    std::vector<Piece> pieces;       // one per selected column
    Failure failure;
};

struct Layout {
    int64_t file_columns = 0;
    std::vector<int64_t> slot;  // file column -> selected column, or -1
    std::vector<int64_t> file_column;  // selected column -> file column
    std::vector<std::string> names;    // file column names
};

// Counts the records of [chunk.begin, chunk.end) exactly as parse_chunk will find them, and
// where they end (chunk.stopped; past chunk.end when a split point fell inside a quoted field).
void count_records(Chunk& chunk, const char* file_end, const CsvOptions& opt, Tokenizer& tok);

// Parses [chunk.begin, chunk.end) into its rows of the block with the given modes; a column
// found to hold strings is switched to String and the chunk parsed again.
void parse_chunk(const Source& src, const CsvOptions& opt, const Layout& layout, int64_t* block,
                 Chunk& chunk, std::vector<Mode> modes);

// The type a column gets from its pieces, as pandas infers it over the whole column.
CsvType merged_type(const std::vector<Chunk>& chunks, size_t j);

// Chunk starts: after the first newline outside quotes at or after each nominal split point.
std::vector<const char*> split_points(const Source& src, const char* body, int64_t chunk_bytes,
                                      char quote, int workers);

}  // namespace ember::io::detail
