// read_csv: the file is split at record boundaries into chunks parsed in parallel, each into
// typed column pieces; the pieces' types are then merged as pandas infers one type per column.
//
// Chunk boundaries are found from the parity of quote characters before each nominal split
// point. A quote that does not open a field (inside a comment, or mid-field) can mislead that
// guess; every chunk checks that it ended exactly where the next one began, and on a mismatch
// the file is parsed again as one chunk. The chunk layout depends only on the file and
// chunk_bytes, never on the thread count, and merging gives the same columns for any layout.
#include <algorithm>
#include <atomic>
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

// A column's type within one chunk. Empty: only missing values so far.
enum class Kind : uint8_t { Empty, Int, Float, Bool, String };

struct Piece {
    Kind kind = Kind::Empty;
    int64_t missing = 0;  // leading missing values while Empty
    std::vector<int64_t> ints;
    std::vector<double> floats;
    std::vector<uint8_t> bools;
    std::vector<std::string> strings;
    std::vector<size_t> negative_zeros;  // ints read from "-0", which become -0.0 as floats
    const char* first_missing = nullptr;

    void push_int(int64_t v, std::string_view text) {
        if (v == 0) {
            size_t k = 0;
            while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
            if (k < text.size() && text[k] == '-') negative_zeros.push_back(ints.size());
        }
        ints.push_back(v);
    }

    void to_float() {
        floats.reserve(ints.capacity());
        floats.assign(static_cast<size_t>(missing), std::numeric_limits<double>::quiet_NaN());
        for (int64_t v : ints) floats.push_back(static_cast<double>(v));
        for (size_t i : negative_zeros) floats[static_cast<size_t>(missing) + i] = -0.0;
        negative_zeros = {};
        ints = {};
        missing = 0;
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
    const char* stopped = nullptr;   // where parsing actually stopped
    int64_t rows = 0;
    std::vector<Piece> pieces;       // one per selected column
    Failure failure;
};

struct Layout {
    int64_t file_columns = 0;
    std::vector<int64_t> slot;  // file column -> selected column, or -1
    std::vector<int64_t> file_column;  // selected column -> file column
    std::vector<std::string> names;    // file column names
};

class ChunkParser {
public:
    ChunkParser(const Source& src, const CsvOptions& opt, const Layout& layout)
        : src_(src), opt_(opt), layout_(layout), tok_(opt) {}

    // Parses [chunk.begin, chunk.end) with the given modes; a column found to hold strings is
    // switched to String and the chunk parsed again.
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
        int64_t restart = -1;
        const char* p = chunk.begin;
        const char* const end = src_.end();
        while (p < chunk.end) {
            // Blank and comment lines end at newlines, so skipping past the chunk's end still
            // stops on a record boundary.
            p = std::min(tok_.skip_ignorable(p, end), chunk.end);
            if (p >= chunk.end) break;
            const char* record_start = p;
            int64_t nfields = 0;
            const char* open_quote = nullptr;
            auto on_field = [&](int64_t index, std::string_view text, const char* at) {
                if (restart >= 0 || chunk.failure.where || index >= layout_.file_columns) return;
                const int64_t j = layout_.slot[static_cast<size_t>(index)];
                if (j < 0) return;
                if (!add(chunk.pieces[static_cast<size_t>(j)], modes[static_cast<size_t>(j)], text,
                         at, index, chunk.failure))
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
            if (chunk.rows++ == 0) reserve(chunk, p - record_start);
        }
        chunk.stopped = p;
        return -1;
    }

    // Room for the rows the chunk likely holds, judged by its first record: fewer regrowths.
    static void reserve(Chunk& chunk, int64_t record_bytes) {
        const size_t rows = static_cast<size_t>((chunk.end - chunk.begin) / std::max<int64_t>(record_bytes, 1) + 16);
        for (Piece& piece : chunk.pieces) {
            switch (piece.kind) {
                case Kind::Empty:
                case Kind::Int: piece.ints.reserve(rows); break;
                case Kind::Float: piece.floats.reserve(rows); break;
                case Kind::Bool: piece.bools.reserve(rows); break;
                case Kind::String: piece.strings.reserve(rows); break;
            }
        }
    }

    std::string str_cat_fields(int64_t nfields) const {
        return ember::detail::str_cat("expected ", layout_.file_columns, " fields, found ", nfields);
    }

    // Adds one value; false when the column must be re-read as strings.
    bool add(Piece& piece, Mode mode, std::string_view text, const char* at, int64_t column,
             Failure& failure) {
        const bool missing = detail::is_missing(text);
        if (missing && !piece.first_missing) piece.first_missing = at;
        auto fail = [&](const char* what) {
            failure = {at, column,
                       ember::detail::str_cat(what, " \"", text, "\"")};
            return true;
        };
        int64_t iv = 0;
        double fv = 0;
        switch (piece.kind) {
            case Kind::String:
                piece.strings.emplace_back(missing ? std::string_view() : text);
                return true;
            case Kind::Float:
                if (missing) {
                    piece.floats.push_back(std::numeric_limits<double>::quiet_NaN());
                    return true;
                }
                if (detail::parse_float64(text, fv)) {
                    piece.floats.push_back(fv);
                    return true;
                }
                if (mode == Mode::Float) return fail("cannot parse as float64:");
                return false;
            case Kind::Int:
                if (mode == Mode::Int) {
                    if (missing) return fail("missing value in an int64 column (read it as float64 for NaN):");
                    if (!detail::parse_int64(text, iv)) return fail("cannot parse as int64:");
                    piece.ints.push_back(iv);
                    return true;
                }
                if (missing) {
                    piece.to_float();
                    piece.floats.push_back(std::numeric_limits<double>::quiet_NaN());
                    return true;
                }
                if (detail::parse_int64(text, iv)) {
                    piece.push_int(iv, text);
                    return true;
                }
                // An integer beyond int64 makes the column strings, as in pandas.
                if (!detail::is_integer_text(text) && detail::parse_float64(text, fv)) {
                    piece.to_float();
                    piece.floats.push_back(fv);
                    return true;
                }
                return false;
            case Kind::Bool: {
                const int b = missing ? -1 : detail::parse_bool(text);
                if (b >= 0) {
                    piece.bools.push_back(static_cast<uint8_t>(b));
                    return true;
                }
                if (mode == Mode::Bool)
                    return fail(missing ? "missing value in a bool column:" : "cannot parse as bool:");
                return false;
            }
            case Kind::Empty:
                if (missing) {
                    ++piece.missing;
                    return true;
                }
                if (detail::parse_int64(text, iv)) {
                    piece.kind = Kind::Int;
                    piece.push_int(iv, text);
                    if (piece.missing > 0) piece.to_float();
                    return true;
                }
                if (!detail::is_integer_text(text) && detail::parse_float64(text, fv)) {
                    piece.to_float();
                    piece.floats.push_back(fv);
                    return true;
                }
                if (piece.missing == 0 && detail::parse_bool(text) >= 0) {
                    piece.kind = Kind::Bool;
                    piece.bools.push_back(static_cast<uint8_t>(detail::parse_bool(text)));
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

    // Parse the chunks in parallel: each worker takes the next chunk until none is left.
    const int workers = options.num_threads > 0 ? options.num_threads : get_num_threads();
    const int64_t chunk_bytes = options.chunk_bytes > 0 ? options.chunk_bytes : kDefaultChunkBytes;
    auto parse_all = [&](std::vector<Chunk>& chunks, const std::vector<std::vector<Mode>>& chunk_modes,
                         const std::vector<size_t>& which) {
        std::atomic<size_t> next{0};
        const int64_t w = std::min<int64_t>(workers, static_cast<int64_t>(which.size()));
        parallel_for(0, w, 1, [&](int64_t, int64_t) {
            ChunkParser parser(src, options, layout);
            for (size_t i; (i = next.fetch_add(1)) < which.size();)
                parser.run(chunks[which[i]], chunk_modes[which[i]]);
        });
    };
    std::vector<const char*> starts = split_points(src, p, chunk_bytes, options.quote, workers);
    std::vector<Chunk> chunks(starts.size());
    for (size_t i = 0; i < starts.size(); ++i) {
        chunks[i].begin = starts[i];
        chunks[i].end = i + 1 < starts.size() ? starts[i + 1] : end;
    }
    std::vector<size_t> all(chunks.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<std::vector<Mode>> chunk_modes(chunks.size(), modes);
    parse_all(chunks, chunk_modes, all);
    // A chunk that ran past its end means a split point fell inside a quoted field.
    for (size_t i = 0; i < chunks.size(); ++i) {
        if (chunks[i].failure.where) report(src, layout, chunks[i].failure);
        if (i + 1 < chunks.size() && chunks[i].stopped != chunks[i].end) {
            chunks.assign(1, Chunk{});
            chunks[0].begin = p;
            chunks[0].end = end;
            chunk_modes.assign(1, modes);
            ChunkParser(src, options, layout).run(chunks[0], modes);
            if (chunks[0].failure.where) report(src, layout, chunks[0].failure);
            break;
        }
    }

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
    if (!again.empty()) parse_all(chunks, chunk_modes, again);
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

    int64_t rows = 0;
    std::vector<int64_t> offsets(chunks.size());
    for (size_t i = 0; i < chunks.size(); ++i) {
        offsets[i] = rows;
        rows += chunks[i].rows;
    }
    std::vector<CsvColumn> columns(ncols);
    parallel_for(0, static_cast<int64_t>(ncols), 1, [&](int64_t b, int64_t e) {
        for (int64_t jj = b; jj < e; ++jj) {
            const size_t j = static_cast<size_t>(jj);
            CsvColumn& col = columns[j];
            col.type = types[j];
            if (col.type == CsvType::String) {
                col.strings.reserve(static_cast<size_t>(rows));
                for (Chunk& c : chunks)
                    for (std::string& s : c.pieces[j].strings) col.strings.push_back(std::move(s));
                continue;
            }
            const DType dtype = col.type == CsvType::Int64     ? DType::Int64
                                : col.type == CsvType::Float64 ? DType::Float64
                                                               : DType::Bool;
            col.values = empty({rows}, {.dtype = dtype});
            for (size_t i = 0; i < chunks.size(); ++i) {
                Piece& piece = chunks[i].pieces[j];
                const int64_t n = chunks[i].rows;
                if (n == 0) continue;
                if (dtype == DType::Int64) {
                    std::memcpy(col.values.data_ptr<int64_t>() + offsets[i], piece.ints.data(),
                                static_cast<size_t>(n) * sizeof(int64_t));
                } else if (dtype == DType::Bool) {
                    std::memcpy(static_cast<uint8_t*>(col.values.data_ptr()) + offsets[i],
                                piece.bools.data(), static_cast<size_t>(n));
                } else {
                    if (piece.kind != Kind::Float) piece.to_float();
                    std::memcpy(col.values.data_ptr<double>() + offsets[i], piece.floats.data(),
                                static_cast<size_t>(n) * sizeof(double));
                }
                piece = Piece{};
            }
        }
    });
    std::vector<std::string> names;
    for (int64_t f : layout.file_column) names.push_back(layout.names[static_cast<size_t>(f)]);
    return CsvTable(std::move(names), std::move(columns), rows);
}

}  // namespace ember::io
