// read_csv's passes over chunks: finding their starts, counting, parsing, merging column types.
#include "io/csv_chunks.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "ember/core/error.h"
#include "ember/core/parallel.h"
#include "io/csv_values.h"

namespace ember::io::detail {

namespace {

// Whether a field's text is an integer (sign and digits) too large for int64.
bool beyond_int64(std::string_view text) {
    int64_t ignored = 0;  // such an integer has at least 19 digits
    return text.size() >= 19 && detail::is_integer_text(text) && !detail::parse_int64(text, ignored);
}

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

}  // namespace

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

namespace {

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

}  // namespace

void parse_chunk(const Source& src, const CsvOptions& opt, const Layout& layout, int64_t* block,
                 Chunk& chunk, std::vector<Mode> modes) {
    ChunkParser(src, opt, layout, block).run(chunk, std::move(modes));
}

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

}  // namespace ember::io::detail
