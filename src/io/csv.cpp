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
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <string_view>

#include "ember/core/parallel.h"
#include "ember/core/tensor_impl.h"
#include "ember/io/csv.h"
#include "ember/ops/factory.h"
#include "io/csv_values.h"

namespace ember::io {

namespace {

constexpr int64_t kDefaultChunkBytes = int64_t{4} << 20;

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

std::vector<char> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    EMBER_CHECK(in, "read_csv: cannot open ", path, ": ", std::strerror(errno));
    const std::streamsize size = in.tellg();
    std::vector<char> bytes(static_cast<size_t>(std::max<std::streamsize>(size, 0)));
    in.seekg(0);
    EMBER_CHECK(in.read(bytes.data(), size), "read_csv: cannot read ", path);
    return bytes;
}

// ---- tokenizing ----

class Tokenizer {
public:
    explicit Tokenizer(const CsvOptions& o) : opt_(o) {
        for (unsigned char c : {static_cast<unsigned char>(o.delimiter),
                                static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r')})
            special_[c] = true;
        if (o.comment != '\0') special_[static_cast<unsigned char>(o.comment)] = true;
    }

    // Skips blank (or whitespace-only) lines and whole-line comments.
    const char* skip_ignorable(const char* p, const char* end) const {
        while (p < end) {
            if (*p == '\n') {
                ++p;
            } else if (*p == '\r' && p + 1 < end && p[1] == '\n') {
                p += 2;
            } else if (opt_.comment != '\0' && *p == opt_.comment) {
                const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
                p = nl ? static_cast<const char*>(nl) + 1 : end;
            } else if ((*p == ' ' || *p == '\t') && *p != opt_.delimiter) {
                // A line of only spaces and tabs is blank too, as in pandas.
                const char* q = p;
                while (q < end && (*q == ' ' || *q == '\t') && *q != opt_.delimiter) ++q;
                if (q == end) return end;
                if (*q == '\n') p = q + 1;
                else if (*q == '\r' && q + 1 < end && q[1] == '\n') p = q + 2;
                else break;
            } else {
                break;
            }
        }
        return p;
    }

    // Parses the record at p, calling on_field(index, text, field_start) for each field; returns
    // the position after the record's newline, or nullptr for a quote left open at the end of
    // the data (`open_quote` is then where it began).
    template <class OnField>
    const char* record(const char* p, const char* end, OnField&& on_field, int64_t& nfields,
                       const char*& open_quote) {
        nfields = 0;
        while (true) {
            const char* field_start = p;
            std::string_view text;
            if (p < end && *p == opt_.quote) {
                scratch_.clear();
                ++p;
                while (true) {
                    const char* q = static_cast<const char*>(
                        std::memchr(p, opt_.quote, static_cast<size_t>(end - p)));
                    if (!q) {
                        open_quote = field_start;
                        return nullptr;
                    }
                    scratch_.append(p, q);
                    if (q + 1 < end && q[1] == opt_.quote) {
                        scratch_ += opt_.quote;
                        p = q + 2;
                    } else {
                        p = q + 1;
                        break;
                    }
                }
                // Text after the closing quote belongs to the field, as in pandas.
                const char* rest = p;
                p = scan(p, end);
                scratch_.append(rest, p);
                text = scratch_;
            } else {
                p = scan(p, end);
                text = std::string_view(field_start, static_cast<size_t>(p - field_start));
            }
            on_field(nfields++, text, field_start);
            if (p >= end) return end;
            const char c = *p;
            if (c == opt_.delimiter) {
                ++p;
                continue;
            }
            if (c == '\r') p += 1;  // scan() stops at '\r' only before '\n'
            if (opt_.comment != '\0' && c == opt_.comment) {
                const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
                return nl ? static_cast<const char*>(nl) + 1 : end;
            }
            return p + 1;  // the newline
        }
    }

private:
    // Advances over unquoted field text: up to a delimiter, newline ("\r\n" or "\n"), comment
    // character, or the end.
    const char* scan(const char* p, const char* end) const {
        while (p < end) {
            if (special_[static_cast<unsigned char>(*p)]) {
                if (*p != '\r' || (p + 1 < end && p[1] == '\n')) return p;
            }
            ++p;
        }
        return p;
    }

    const CsvOptions& opt_;
    bool special_[256] = {};
    std::string scratch_;
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

// Whether a field's text is an integer (sign and digits) too large for int64.
bool beyond_int64(std::string_view text) {
    int64_t ignored = 0;  // such an integer has at least 19 digits
    return text.size() >= 19 && detail::is_integer_text(text) && !detail::parse_int64(text, ignored);
}

// Whether a field's text starts with '-' (after spaces and tabs): "-0" reads as -0.0.
bool is_negative_text(std::string_view text) {
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

// Whether the line [p, e) is one the parser skips: blank, spaces and tabs only, or a comment
// line (Tokenizer::skip_ignorable's rules for a line; `newline`: a '\n' follows it).
bool ignorable_line(const char* p, const char* e, bool newline, const CsvOptions& opt) {
    if (p == e) return true;
    if (opt.comment != '\0' && *p == opt.comment) return true;
    if (*p == '\r' && p + 1 == e && newline) return true;
    const char* q = p;
    while (q < e && (*q == ' ' || *q == '\t') && *q != opt.delimiter) ++q;
    if (q == p) return false;
    return q == e || (*q == '\r' && q + 1 == e && newline);
}

// Counts the records of [chunk.begin, chunk.end) exactly as ChunkParser will find them, and
// where they end (chunk.stopped; past chunk.end when a split point fell inside a quoted field).
void count_records(Chunk& chunk, const char* file_end, const CsvOptions& opt, Tokenizer& tok) {
    const char* p = chunk.begin;
    int64_t n = 0;
    if (!std::memchr(p, opt.quote, static_cast<size_t>(chunk.end - p))) {
        // No quotes: every newline ends a line, and chunk.end follows one (or ends the file).
        while (p < chunk.end) {
            const char* nl = static_cast<const char*>(
                std::memchr(p, '\n', static_cast<size_t>(chunk.end - p)));
            const char* line_end = nl ? nl : chunk.end;
            if (!ignorable_line(p, line_end, nl != nullptr, opt)) ++n;
            p = nl ? nl + 1 : chunk.end;
        }
    } else {
        int64_t nfields = 0;
        auto ignore = [](int64_t, std::string_view, const char*) {};
        while (p < chunk.end) {
            p = std::min(tok.skip_ignorable(p, file_end), chunk.end);
            if (p >= chunk.end) break;
            p = tok.record(p, file_end, ignore, nfields, chunk.open_quote);
            if (!p) break;
            ++n;
        }
    }
    chunk.count = n;
    chunk.stopped = p;
}

class ChunkParser {
public:
    ChunkParser(const Source& src, const CsvOptions& opt, const Layout& layout, int64_t* block)
        : src_(src), opt_(opt), layout_(layout), tok_(opt), block_(block) {}

    // Parses [chunk.begin, chunk.end) into its rows of the block with the given modes; a column
    // found to hold strings is switched to String and the chunk parsed again.
    void run(Chunk& chunk, std::vector<Mode> modes) {
        while (true) {
            const int64_t restart = parse(chunk, modes);
            if (restart < 0) return;
            modes[static_cast<size_t>(restart)] = Mode::String;
        }
    }

private:
    int64_t parse(Chunk& chunk, const std::vector<Mode>& modes) {
        const size_t n = layout_.file_column.size();
        const int64_t stride = static_cast<int64_t>(n);
        chunk.pieces.assign(n, Piece{});
        chunk.rows = 0;
        chunk.failure = {};
        for (size_t j = 0; j < n; ++j) {
            Piece& piece = chunk.pieces[j];
            switch (modes[j]) {
                case Mode::Auto: break;
                case Mode::Int: piece.kind = Kind::Int; break;
                case Mode::Float: piece.kind = Kind::Float; break;
                case Mode::Bool: piece.kind = Kind::Bool; break;
                case Mode::String: piece.kind = Kind::String; break;
            }
        }
        int64_t* const base = block_ + chunk.first_row * stride;
        // Every file column read, none of the options' characters a digit or '-': while all
        // columns hold integers, records of plain integers take the fast path.
        // A column's kind never turns Int again once it is Float, Bool or String.
        bool maybe_ints = fast_path_allowed(), plain_ints = false;
        int64_t restart = -1;
        const char* p = chunk.begin;
        const char* const end = src_.end();
        while (p < chunk.end) {
            // Blank and comment lines end at newlines, so skipping past the chunk's end still
            // stops on a record boundary.
            p = std::min(tok_.skip_ignorable(p, end), chunk.end);
            if (p >= chunk.end) break;
            const char* record_start = p;
            EMBER_ASSERT(chunk.rows < chunk.count, "read_csv: ", src_.path,
                         ": the row count and the parse disagree at line ", src_.line_of(p));
            const int64_t row = chunk.rows;
            if (plain_ints) {
                if (const char* next = plain_int_record(p, end, base + row * stride, n)) {
                    p = next;
                    ++chunk.rows;
                    continue;
                }
            }
            int64_t nfields = 0;
            const char* open_quote = nullptr;
            auto on_field = [&](int64_t index, std::string_view text, const char* at) {
                if (restart >= 0 || chunk.failure.where || index >= layout_.file_columns) return;
                const int64_t j = layout_.slot[static_cast<size_t>(index)];
                if (j < 0) return;
                if (!add(chunk.pieces[static_cast<size_t>(j)], modes[static_cast<size_t>(j)],
                         Slots{base + j, stride}, row, text, at, index, chunk.failure))
                    restart = j;
            };
            p = tok_.record(p, end, on_field, nfields, open_quote);
            if (!p) {
                chunk.failure = {open_quote, -1, "a quoted field is never closed"};
                return -1;
            }
            if (restart >= 0) return restart;
            if (chunk.failure.where) return -1;
            if (nfields != layout_.file_columns) {
                chunk.failure = {record_start, std::min(nfields, layout_.file_columns),
                                 str_cat_fields(nfields)};
                return -1;
            }
            ++chunk.rows;
            if (maybe_ints) {
                maybe_ints = plain_ints = true;
                for (const Piece& piece : chunk.pieces) {
                    plain_ints = plain_ints && piece.kind == Kind::Int;
                    maybe_ints = maybe_ints && (piece.kind == Kind::Int || piece.kind == Kind::Empty);
                }
            }
        }
        EMBER_ASSERT(chunk.rows == chunk.count, "read_csv: ", src_.path, ": counted ", chunk.count,
                     " records in a chunk but parsed ", chunk.rows);
        return -1;
    }

    bool fast_path_allowed() const {
        if (static_cast<int64_t>(layout_.file_column.size()) != layout_.file_columns) return false;
        for (char c : {opt_.delimiter, opt_.quote, opt_.comment})
            if (c == '-' || (c >= '0' && c <= '9')) return false;
        return true;
    }

    // A record of `n` plain integers ("-"? and 1 to 18 digits, nothing else, no "-0") written
    // to `out`; the position after its newline, or nullptr for anything else, which the general
    // path then reads (and rewrites the row).
    const char* plain_int_record(const char* p, const char* end, int64_t* out, size_t n) const {
        for (size_t j = 0; j < n; ++j) {
            const bool negative = p < end && *p == '-';
            p += negative;
            const char* digits = p;
            uint64_t v = 0;
            for (unsigned d; p < end && (d = static_cast<unsigned>(*p - '0')) <= 9; ++p) v = v * 10 + d;
            const ptrdiff_t count = p - digits;
            if (count == 0 || count > 18 || (negative && v == 0)) return nullptr;
            out[j] = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
            if (j + 1 < n) {
                if (p == end || *p != opt_.delimiter) return nullptr;
                ++p;
            } else if (p < end) {
                if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
                if (*p != '\n') return nullptr;
                ++p;
            }
        }
        return p;
    }

    std::string str_cat_fields(int64_t nfields) const {
        const char* why = nfields < layout_.file_columns
                              ? " (a short record: pandas would pad it with NaN, ember refuses it)"
                              : "";
        return ember::detail::str_cat("expected ", layout_.file_columns, " fields, found ", nfields,
                                      why);
    }

    // Adds one value in row `row`; false when the column must be re-read as strings.
    static bool add(Piece& piece, Mode mode, Slots slots, int64_t row, std::string_view text,
                    const char* at, int64_t column, Failure& failure) {
        const bool missing = detail::is_missing(text);
        if (missing && !piece.first_missing) piece.first_missing = at;
        auto fail = [&](const char* what) {
            failure = {at, column,
                       ember::detail::str_cat(what, " \"", text, "\"")};
            return true;
        };
        constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
        int64_t iv = 0;
        double fv = 0;
        switch (piece.kind) {
            case Kind::String:
                piece.strings.emplace_back(missing ? std::string_view() : text);
                return true;
            case Kind::Float:
                if (missing) {
                    slots.set_double(row, kNaN);
                    return true;
                }
                // An integer beyond int64 makes an inferred column strings wherever it comes
                // (pandas reads it as a float only after a float: its result depends on the order).
                if (detail::parse_float64(text, fv) &&
                    (mode == Mode::Float || !beyond_int64(text))) {
                    slots.set_double(row, fv);
                    return true;
                }
                if (mode == Mode::Float) return fail("cannot parse as float64:");
                return false;
            case Kind::Int:
                if (mode == Mode::Int) {
                    if (missing) return fail("missing value in an int64 column (read it as float64 for NaN):");
                    if (!detail::parse_int64(text, iv)) return fail("cannot parse as int64:");
                    slots[row] = iv;
                    return true;
                }
                if (missing) {
                    piece.to_float(slots, row);
                    slots.set_double(row, kNaN);
                    return true;
                }
                if (detail::parse_int64(text, iv)) {
                    piece.push_int(slots, row, iv, text);
                    return true;
                }
                // An integer beyond int64 makes the column strings (pandas: uint64 or object).
                if (!detail::is_integer_text(text) && detail::parse_float64(text, fv)) {
                    piece.to_float(slots, row);
                    slots.set_double(row, fv);
                    return true;
                }
                return false;
            case Kind::Bool: {
                const int b = missing ? -1 : detail::parse_bool(text);
                if (b >= 0) {
                    slots[row] = b;
                    return true;
                }
                if (mode == Mode::Bool)
                    return fail(missing ? "missing value in a bool column:" : "cannot parse as bool:");
                return false;
            }
            case Kind::Empty:
                if (missing) {
                    slots.set_double(row, kNaN);
                    return true;
                }
                if (detail::parse_int64(text, iv)) {
                    if (row > 0) {  // after missing values: floats from here on
                        piece.kind = Kind::Float;
                        slots.set_double(row, static_cast<double>(iv));
                        if (iv == 0 && is_negative_text(text)) slots.set_double(row, -0.0);
                    } else {
                        piece.kind = Kind::Int;
                        piece.push_int(slots, row, iv, text);
                    }
                    return true;
                }
                if (!detail::is_integer_text(text) && detail::parse_float64(text, fv)) {
                    piece.kind = Kind::Float;
                    slots.set_double(row, fv);
                    return true;
                }
                if (row == 0 && detail::parse_bool(text) >= 0) {
                    piece.kind = Kind::Bool;
                    slots[row] = detail::parse_bool(text);
                    return true;
                }
                return false;
        }
        return false;
    }

    const Source& src_;
    const CsvOptions& opt_;
    const Layout& layout_;
    Tokenizer tok_;
    int64_t* block_;
};

// The type a column gets from its pieces, as pandas infers it over the whole column.
CsvType merged_type(const std::vector<Chunk>& chunks, size_t j) {
    bool any_int = false, any_float = false, any_bool = false, any_empty = false;
    for (const Chunk& c : chunks) {
        if (c.rows == 0) continue;
        switch (c.pieces[j].kind) {
            case Kind::String: return CsvType::String;
            case Kind::Int: any_int = true; break;
            case Kind::Float: any_float = true; break;
            case Kind::Bool: any_bool = true; break;
            case Kind::Empty: any_empty = true; break;
        }
    }
    if (any_bool) return (any_int || any_float || any_empty) ? CsvType::String : CsvType::Bool;
    if (any_float || any_empty) return CsvType::Float64;
    if (any_int) return CsvType::Int64;
    return CsvType::String;  // no rows at all: pandas gives object columns
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

// Chunk starts: after the first newline outside quotes at or after each nominal split point.
std::vector<const char*> split_points(const Source& src, const char* body, int64_t chunk_bytes,
                                      char quote, int workers) {
    const char* end = src.end();
    const int64_t size = end - body;
    const int64_t n = std::max<int64_t>(1, (size + chunk_bytes - 1) / chunk_bytes);
    std::vector<const char*> starts{body};
    if (n == 1) return starts;
    // Quote parity of each nominal piece, counted in parallel.
    std::vector<uint8_t> parity(static_cast<size_t>(n), 0);
    parallel_for(0, n, std::max<int64_t>(1, n / std::max(workers, 1)), [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) {
            const char* p = body + k * chunk_bytes;
            const char* q = std::min(end, p + chunk_bytes);
            parity[static_cast<size_t>(k)] = static_cast<uint8_t>(std::count(p, q, quote) & 1);
        }
    });
    bool in_quotes = false;
    for (int64_t k = 1; k < n; ++k) {
        in_quotes ^= parity[static_cast<size_t>(k - 1)] != 0;
        // From the byte before the split point: a '\n' there outside quotes makes the split
        // point itself a start.
        const char* p = body + k * chunk_bytes - 1;
        bool inside = in_quotes ^ (*p == quote);
        while (p < end && !(*p == '\n' && !inside)) {
            if (*p == quote) inside = !inside;
            ++p;
        }
        const char* start = p < end ? p + 1 : end;
        if (start > starts.back() && start < end) starts.push_back(start);
    }
    return starts;
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
            ChunkParser(src, options, layout, slots).run(chunks[which[k]], chunk_modes[which[k]]);
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
