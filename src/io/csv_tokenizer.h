// read_csv's tokenizer: records split into fields, quotes, comments and blank lines as in pandas.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ember/io/csv.h"

namespace ember::io::detail {

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

}  // namespace ember::io::detail
