// read_csv against pandas.read_csv (tools/golden/io_csv.py) on small files with the format's
// edge cases, identical results for any thread count and chunk size, and the error paths.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/golden.h"

namespace ember::test {
namespace {

using io::CsvOptions;
using io::CsvTable;
using io::CsvType;
using io::read_csv;

std::string csv_file(const std::string& name) {
    return std::string(EMBER_GOLDEN_DIR) + "/../data/csv/" + name;
}

std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path =
        (std::filesystem::temp_directory_path() / ("ember_test_csv_" + name + ".csv")).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    return path;
}

CsvType type_from_name(const std::string& name) {
    if (name == "int64") return CsvType::Int64;
    if (name == "float64") return CsvType::Float64;
    if (name == "bool") return CsvType::Bool;
    return CsvType::String;
}

CsvOptions options_from_json(const json& j) {
    CsvOptions o;
    if (j.contains("header")) o.header = j["header"].get<bool>();
    if (j.contains("comment")) o.comment = j["comment"].get<std::string>()[0];
    if (j.contains("columns")) o.columns = j["columns"].get<std::vector<std::string>>();
    if (j.contains("dtype"))
        for (const auto& [name, type] : j["dtype"].items())
            o.dtype[name] = type_from_name(type.get<std::string>());
    return o;
}

double number(const json& v) {
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        return s == "nan" ? std::nan("") : s == "inf" ? INFINITY : -INFINITY;
    }
    return v.get<double>();
}

// The table must hold exactly the columns pandas read.
void expect_matches(const CsvTable& table, const json& columns) {
    ASSERT_EQ(table.num_columns(), static_cast<int64_t>(columns.size()));
    for (size_t k = 0; k < columns.size(); ++k) {
        const json& c = columns[k];
        const std::string name = c["name"].get<std::string>();
        SCOPED_TRACE("column " + name);
        EXPECT_EQ(table.column_names()[k], name);
        const CsvType type = type_from_name(c["type"].get<std::string>());
        ASSERT_EQ(table.type(name), type);
        const json& values = c["values"];
        ASSERT_EQ(table.num_rows(), static_cast<int64_t>(values.size()));
        if (type == CsvType::String) {
            EXPECT_EQ(table.strings(name), values.get<std::vector<std::string>>());
            continue;
        }
        // A numeric column is a strided view of the table's block: read it through contiguous().
        const Tensor t = table[name].contiguous();
        ASSERT_EQ(t.dim(), 1);
        for (size_t i = 0; i < values.size(); ++i) {
            const int64_t row = static_cast<int64_t>(i);
            if (type == CsvType::Int64) {
                EXPECT_EQ(t.dtype(), DType::Int64);
                EXPECT_EQ(t.data_ptr<int64_t>()[row], values[i].get<int64_t>()) << "row " << i;
            } else if (type == CsvType::Bool) {
                EXPECT_EQ(t.dtype(), DType::Bool);
                EXPECT_EQ(t.data_ptr<bool>()[row], values[i].get<bool>()) << "row " << i;
            } else {
                EXPECT_EQ(t.dtype(), DType::Float64);
                const double got = t.data_ptr<double>()[row], want = number(values[i]);
                if (std::isnan(want)) {
                    EXPECT_TRUE(std::isnan(got)) << "row " << i;
                } else {
                    EXPECT_EQ(got, want) << "row " << i;
                    EXPECT_EQ(std::signbit(got), std::signbit(want)) << "row " << i;
                }
            }
        }
    }
}

TEST(Csv, MatchesPandasForAnyThreadCountAndChunkSize) {
    const json golden = load_golden("io_csv");
    for (const auto& [name, entry] : golden["cases"].items()) {
        for (int threads : {1, 3}) {
            for (int64_t chunk : {int64_t{0}, int64_t{1}, int64_t{7}}) {
                SCOPED_TRACE(name + " threads=" + std::to_string(threads) +
                             " chunk_bytes=" + std::to_string(chunk));
                CsvOptions o = options_from_json(entry["options"]);
                o.num_threads = threads;
                o.chunk_bytes = chunk;
                expect_matches(read_csv(csv_file(entry["file"].get<std::string>()), o),
                               entry["columns"]);
            }
        }
    }
}

TEST(Csv, ToTensorStacksColumns) {
    const CsvTable table = read_csv(csv_file("basic.csv"));
    const Tensor x = table.to_tensor({"score", "id", "flag"}, DType::Float64);
    ASSERT_EQ(x.sizes(), IntArrayRef({4, 3}));
    EXPECT_TENSOR_EQ(x.select(1, 0), table["score"]);
    EXPECT_TENSOR_EQ(x.select(1, 1), table["id"].to(DType::Float64));
    EXPECT_TENSOR_EQ(x.select(1, 2), table["flag"].to(DType::Float64));
    EXPECT_EQ(table.to_tensor({"id"}).dtype(), DType::Float32);
    const CsvTable numbers = read_csv(csv_file("basic.csv"), {.columns = {"id", "score"}});
    EXPECT_TENSOR_EQ(numbers.to_tensor({}, DType::Float64), x.narrow(1, 0, 2).flip({1}));
    EXPECT_EQ(read_csv(csv_file("header_only.csv"), {.dtype = {{"a", CsvType::Float64}}})
                  .to_tensor({"a"}).sizes(),
              IntArrayRef({0, 1}));
}

TEST(Csv, ToTensorOfEveryColumnIsTheTableBlock) {
    // All int64: the block itself, contiguous, sharing memory with the columns.
    const std::string ints = write_temp("ints", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
    const CsvTable t = read_csv(ints);
    const Tensor x = t.to_tensor({}, DType::Int64);
    ASSERT_EQ(x.sizes(), IntArrayRef({3, 3}));
    EXPECT_TRUE(x.is_contiguous());
    EXPECT_FALSE(t["b"].is_contiguous());
    EXPECT_EQ(t["b"].stride(0), 3);
    EXPECT_EQ(t["b"].data_ptr(), static_cast<void*>(x.data_ptr<int64_t>() + 1));
    EXPECT_EQ(t.to_tensor({"a", "b", "c"}, DType::Int64).data_ptr(), x.data_ptr());
    EXPECT_EQ(x.to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    // Another dtype, a subset or another order: a copy.
    for (const Tensor& copy : {t.to_tensor({}, DType::Float64),
                               t.to_tensor({"a", "b"}, DType::Int64),
                               t.to_tensor({"c", "b", "a"}, DType::Int64)})
        EXPECT_NE(copy.data_ptr(), x.data_ptr());
    EXPECT_TENSOR_EQ(t.to_tensor({"c", "b", "a"}, DType::Int64), x.flip({1}));
    // All float64: the block as float64; the int chunk of a float column is converted in place.
    const std::string floats = write_temp("floats", "a,b\n1,-0\n2.5,3\n4,0.5\n");
    for (int64_t chunk : {int64_t{0}, int64_t{1}}) {
        const CsvTable f = read_csv(floats, {.chunk_bytes = chunk});
        const Tensor y = f.to_tensor({}, DType::Float64);
        EXPECT_EQ(y.data_ptr(), f["a"].data_ptr());
        EXPECT_EQ(y.to_vector<double>(), (std::vector<double>{1, -0.0, 2.5, 3, 4, 0.5}));
        EXPECT_TRUE(std::signbit(y.data_ptr<double>()[1]));
    }
    // Mixed numeric types: the columns share one block, to_tensor copies.
    const CsvTable m = read_csv(write_temp("mixed_types", "i,f,s\n1,1.5,x\n2,2.5,y\n"));
    EXPECT_EQ(m["i"].dtype(), DType::Int64);
    EXPECT_EQ(m["f"].dtype(), DType::Float64);
    EXPECT_EQ(m["i"].storage().get(), m["f"].storage().get());
    EXPECT_EQ(m["f"].contiguous().to_vector<double>(), (std::vector<double>{1.5, 2.5}));
    const Tensor mixed = m.to_tensor({"i", "f"}, DType::Float64);
    EXPECT_EQ(mixed.to_vector<double>(), (std::vector<double>{1, 1.5, 2, 2.5}));
    EXPECT_NE(mixed.storage().get(), m["i"].storage().get());
}

// The counting pass (a plain line count in a chunk without quote characters, the tokenizer in
// one with them) must find exactly the records the parser does: blank, whitespace-only, CRLF and
// comment lines, a lone '\r' inside a field, a last record without a newline.
TEST(Csv, RowCountingAgreesWithTheParser) {
    const std::string text =
        "a,b,c\n\n1,2,xzy\n \t \n3,4,p\rq\r\n\r\n  \r\n#c,z\n5,6,yz\n\t\n7,8,\r\n"
        "  9,10,\t s\n# z\n11,12,13";
    const std::string path = write_temp("counting", text);
    // With quote 'z' the chunks holding a 'z' are counted by the tokenizer; a 'z' mid-field is
    // plain text either way.
    const CsvTable ref = read_csv(path, {.comment = '#', .num_threads = 1});
    ASSERT_EQ(ref.num_rows(), 6);
    EXPECT_EQ(ref.strings("c"),
              (std::vector<std::string>{"xzy", "p\rq", "yz", "", "\t s", "13"}));
    EXPECT_EQ(ref["b"].contiguous().to_vector<int64_t>(),
              (std::vector<int64_t>{2, 4, 6, 8, 10, 12}));
    for (char quote : {'"', 'z'}) {
        for (int64_t chunk : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{5}, int64_t{11}}) {
            SCOPED_TRACE(std::string("quote ") + quote + " chunk_bytes=" + std::to_string(chunk));
            const CsvTable t = read_csv(path, {.quote = quote, .comment = '#', .num_threads = 2,
                                               .chunk_bytes = chunk});
            ASSERT_EQ(t.num_rows(), 6);
            EXPECT_EQ(t.strings("c"), ref.strings("c"));
            EXPECT_TENSOR_EQ(t.to_tensor({"a", "b"}, DType::Int64),
                             ref.to_tensor({"a", "b"}, DType::Int64));
        }
    }
    // A tab delimiter: a line of tabs is a record of empty fields, not a blank line.
    const std::string tabs = write_temp("tab_lines", "a\tb\n1\t2\n\t\n \n3\t4\n");
    for (int64_t chunk : {int64_t{0}, int64_t{1}, int64_t{3}}) {
        const CsvTable t = read_csv(tabs, {.delimiter = '\t', .chunk_bytes = chunk});
        ASSERT_EQ(t.num_rows(), 3);
        EXPECT_TRUE(std::isnan(t["a"].contiguous().to_vector<double>()[1]));
    }
}

// A file with quoted newlines, a column that turns float late, one that turns string late,
// bools, missing values and quotes inside unquoted fields (which mislead the split guess).
std::string mixed_file(int rows) {
    std::ostringstream s;
    s << "i,late_float,late_string,flag,quoted,height\n";
    for (int r = 0; r < rows; ++r) {
        s << r * 7 - 300 << ',';
        if (r == rows - 5) s << "2.5,"; else s << r % 13 << ',';
        if (r == rows - 3) s << "word,"; else s << r << ',';
        s << (r % 3 ? "True," : "false,");
        s << (r % 4 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : r % 4 == 1 ? "" : "plain") << ',';
        if (r % 10 == 0) s << "5'10\""; else s << r % 5 << ".25";
        s << (r % 2 ? "\r\n" : "\n");
    }
    return s.str();
}

TEST(Csv, SameResultForAnyThreadCountAndChunkSize) {
    const std::string path = write_temp("mixed", mixed_file(3000));
    const CsvTable ref = read_csv(path, {.num_threads = 1});
    ASSERT_EQ(ref.num_rows(), 3000);
    EXPECT_EQ(ref.type("i"), CsvType::Int64);
    EXPECT_EQ(ref.type("late_float"), CsvType::Float64);
    EXPECT_EQ(ref.type("late_string"), CsvType::String);
    EXPECT_EQ(ref.type("flag"), CsvType::Bool);
    EXPECT_EQ(ref.type("quoted"), CsvType::String);
    EXPECT_EQ(ref.type("height"), CsvType::String);
    EXPECT_EQ(ref.strings("quoted")[0], "multi\nline, \"quoted\"");
    EXPECT_EQ(ref.strings("height")[10], "5'10\"");
    EXPECT_EQ(ref.strings("late_string")[2997], "word");
    for (int threads : {1, 2, 4}) {
        for (int64_t chunk : {int64_t{50}, int64_t{997}, int64_t{8192}}) {
            SCOPED_TRACE("threads=" + std::to_string(threads) + " chunk_bytes=" + std::to_string(chunk));
            const CsvTable t = read_csv(path, {.num_threads = threads, .chunk_bytes = chunk});
            ASSERT_EQ(t.column_names(), ref.column_names());
            ASSERT_EQ(t.num_rows(), ref.num_rows());
            for (const auto& name : ref.column_names()) {
                ASSERT_EQ(t.type(name), ref.type(name)) << name;
                if (ref.type(name) == CsvType::String)
                    EXPECT_EQ(t.strings(name), ref.strings(name)) << name;
                else
                    EXPECT_TENSOR_EQ(t[name], ref[name]);
            }
        }
    }
    // Without the quotes inside unquoted fields the split guess holds.
    const CsvTable numeric = read_csv(path, {.columns = {"i", "late_float"}, .chunk_bytes = 100});
    EXPECT_TENSOR_EQ(numeric["late_float"], ref["late_float"]);
    std::filesystem::remove(path);
}

TEST(Csv, OptionsDelimiterQuoteAndTypes) {
    const std::string path = write_temp("tabs", "a\tb\n'x\ty'\t1\n'it''s'\t2\n");
    const CsvTable t = read_csv(path, {.delimiter = '\t', .quote = '\''});
    EXPECT_EQ(t.strings("a"), (std::vector<std::string>{"x\ty", "it's"}));
    EXPECT_EQ(t.type("b"), CsvType::Int64);
    const CsvTable s = read_csv(path, {.delimiter = '\t', .quote = '\'',
                                       .dtype = {{"b", CsvType::String}}});
    EXPECT_EQ(s.strings("b"), (std::vector<std::string>{"1", "2"}));
    const CsvTable f = read_csv(path, {.delimiter = '\t', .quote = '\'',
                                       .dtype = {{"b", CsvType::Float64}}});
    EXPECT_EQ(f["b"].dtype(), DType::Float64);
    const CsvTable bools = read_csv(write_temp("bools", "v\ntrue\nFALSE\n"),
                                    {.dtype = {{"v", CsvType::Bool}}});
    EXPECT_EQ(bools["v"].to_vector<bool>(), (std::vector<bool>{true, false}));
    // Duplicate and empty header names are renamed as pandas does.
    const CsvTable dup = read_csv(write_temp("dup", "a,a,\n1,2,3\n"));
    EXPECT_EQ(dup.column_names(), (std::vector<std::string>{"a", "a.1", "Unnamed: 2"}));
    EXPECT_EQ(io::csv_type_name(CsvType::Float64), std::string("float64"));
}

// Records of plain integers take a fast path while every column holds integers; anything else
// in a record ("-0", a sign, spaces, 19 digits, a missing value, a float) sends it to the general
// one. A digit as the quote character turns the fast path off: both must agree.
TEST(Csv, PlainIntegerFastPathAgreesWithTheGeneralPath) {
    const std::string path = write_temp(
        "plain_ints", "a,b,c\n1,-2,3\r\n-0,+4, 5\n6,1234568901234568901,-9\n10,11,12\n"
                      "\n13,,14\n15,16,2.5\n-1,-0,0\n99999999999999999999,1,2\n3,4,5");
    for (int64_t chunk : {int64_t{0}, int64_t{1}, int64_t{9}, int64_t{30}}) {
        SCOPED_TRACE("chunk_bytes=" + std::to_string(chunk));
        const CsvTable fast = read_csv(path, {.chunk_bytes = chunk});
        const CsvTable general = read_csv(path, {.quote = '7', .chunk_bytes = chunk});
        ASSERT_EQ(fast.num_rows(), 9);
        EXPECT_EQ(fast.type("a"), CsvType::String);
        EXPECT_EQ(fast.strings("a"), general.strings("a"));
        EXPECT_EQ(fast.type("b"), CsvType::Float64);  // the missing value
        EXPECT_EQ(fast.type("c"), CsvType::Float64);  // 2.5
        for (const char* name : {"b", "c"}) {
            const Tensor x = fast[name].contiguous(), y = general[name].contiguous();
            ASSERT_EQ(x.nbytes(), y.nbytes());
            EXPECT_EQ(std::memcmp(x.data_ptr(), y.data_ptr(), static_cast<size_t>(x.nbytes())), 0)
                << name;
        }
        EXPECT_TRUE(std::signbit(fast["b"].contiguous().to_vector<double>()[6]));  // "-0"
        EXPECT_EQ(fast.strings("a")[1], "-0");
    }
    // Only integers: int64, "-0" read as 0.
    const std::string ints_only = write_temp("ints_only", "a,b\n1,-0\n-2,3\r\n4,5");
    for (const CsvTable& t : {read_csv(ints_only), read_csv(ints_only, {.quote = '7'})}) {
        EXPECT_EQ(t.to_tensor({}, DType::Int64).to_vector<int64_t>(),
                  (std::vector<int64_t>{1, 0, -2, 3, 4, 5}));
    }
    EXPECT_EMBER_ERROR(read_csv(write_temp("plain_short", "a,b\n1,2\n3\n")), "line 3",
                       "expected 2 fields, found 1");
    EXPECT_EMBER_ERROR(read_csv(write_temp("plain_long", "a,b\n1,2\n3,4,5\n")), "line 3",
                       "expected 2 fields, found 3");
}

// pandas reads an integer beyond int64 as uint64 (up to 2^64-1, see the fixture) or object,
// but as a float when a float came before it; ember makes such a column strings wherever the
// integer lies, so that the result does not depend on the order or the chunks.
TEST(Csv, IntegerBeyondInt64MakesTheColumnStrings) {
    const std::string path = write_temp("beyond", "a,b\n2.5,1\n99999999999999999999,2\n-1,3\n");
    for (int64_t chunk : {int64_t{0}, int64_t{1}, int64_t{9}}) {
        const CsvTable t = read_csv(path, {.chunk_bytes = chunk});
        EXPECT_EQ(t.strings("a"), (std::vector<std::string>{"2.5", "99999999999999999999", "-1"}));
        EXPECT_EQ(t.type("b"), CsvType::Int64);
        // Asked for float64, it is one.
        const CsvTable f = read_csv(path, {.dtype = {{"a", CsvType::Float64}}, .chunk_bytes = chunk});
        EXPECT_EQ(f["a"].contiguous().to_vector<double>(), (std::vector<double>{2.5, 1e20, -1}));
    }
}

TEST(Csv, Errors) {
    EXPECT_EMBER_ERROR(read_csv(csv_file("does_not_exist.csv")), "read_csv", "cannot open",
                       "does_not_exist.csv");
    EXPECT_EMBER_ERROR(read_csv(csv_file("empty.csv")), "read_csv", "empty.csv", "no columns");
    EXPECT_EMBER_ERROR(read_csv(csv_file("too_many.csv")), "too_many.csv", "line 3", "column 4",
                       "expected 3 fields, found 4");
    for (int64_t chunk : {int64_t{0}, int64_t{1}, int64_t{4}})
        EXPECT_EMBER_ERROR(read_csv(csv_file("too_few.csv"), {.num_threads = 2, .chunk_bytes = chunk}),
                           "too_few.csv", "line 3", "column 3 (\"c\")", "expected 3 fields, found 2",
                           "short record");
    EXPECT_EMBER_ERROR(read_csv(csv_file("semicolon.csv"), {.delimiter = ';'}), "line 3",
                       "expected 2 fields, found 3");
    EXPECT_EMBER_ERROR(read_csv(csv_file("unterminated.csv")), "unterminated.csv", "line 2",
                       "never closed");
    for (int64_t chunk : {int64_t{0}, int64_t{3}}) {
        EXPECT_EMBER_ERROR(read_csv(csv_file("nonnumeric.csv"),
                                    {.dtype = {{"n", CsvType::Int64}}, .chunk_bytes = chunk}),
                           "nonnumeric.csv", "line 3, column 1 (\"n\")", "int64", "\"abc\"");
        EXPECT_EMBER_ERROR(read_csv(csv_file("nonnumeric.csv"),
                                    {.dtype = {{"n", CsvType::Float64}}, .chunk_bytes = chunk}),
                           "line 3, column 1", "float64", "\"abc\"");
        EXPECT_EMBER_ERROR(read_csv(csv_file("missing.csv"),
                                    {.missing_as_nan = false, .chunk_bytes = chunk}),
                           "missing.csv", "line 3, column 1 (\"i\")", "missing value");
    }
    EXPECT_EMBER_ERROR(read_csv(csv_file("missing.csv"), {.dtype = {{"i", CsvType::Int64}}}),
                       "line 3, column 1", "missing value in an int64 column");
    EXPECT_EMBER_ERROR(read_csv(csv_file("basic.csv"), {.dtype = {{"name", CsvType::Bool}}}),
                       "line 2, column 4", "bool", "\"alpha\"");
    EXPECT_EMBER_ERROR(read_csv(csv_file("basic.csv"), {.columns = {"id", "nope"}}), "columns",
                       "\"nope\"", "\"score\"");
    EXPECT_EMBER_ERROR(read_csv(csv_file("basic.csv"), {.dtype = {{"nope", CsvType::Bool}}}),
                       "dtype", "\"nope\"");
    EXPECT_EMBER_ERROR(read_csv(csv_file("basic.csv"),
                                {.columns = {"id"}, .dtype = {{"name", CsvType::Bool}}}),
                       "\"name\"", "not among the selected columns");
    EXPECT_EMBER_ERROR(read_csv(csv_file("basic.csv"), {.delimiter = '"'}), "delimiter");

    const CsvTable t = read_csv(csv_file("basic.csv"));
    EXPECT_EMBER_ERROR(t["name"], "operator[]", "\"name\"", "strings");
    EXPECT_EMBER_ERROR(t["nope"], "no column \"nope\"", "\"id\"");
    EXPECT_EMBER_ERROR(t.strings("id"), "strings", "\"id\"", "int64");
    EXPECT_EMBER_ERROR(t.to_tensor(), "to_tensor", "\"name\"", "strings");
}

}  // namespace
}  // namespace ember::test
