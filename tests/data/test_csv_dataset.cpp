// data::CsvDataset: rows of a CSV file as (features, label) samples, through a DataLoader.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/golden.h"

namespace ember::test {
namespace {

// A small covtype-shaped file (integer features, the label last), removed at the end; named
// after the test, since CTest runs the tests of this file in parallel.
struct CsvFile {
    std::string path =
        (std::filesystem::temp_directory_path() /
         ("ember_test_csv_dataset_" +
          std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".csv"))
            .string();
    explicit CsvFile(const std::string& text) { std::ofstream(path) << text; }
    ~CsvFile() { std::remove(path.c_str()); }
};

const char* kCovtype =
    "Elevation,Aspect,Slope,Soil,Cover_Type\n"
    "2596,51,3,x,5\n"
    "2590,56,2,y,5\n"
    "2804,139,9,x,2\n"
    "2785,155,18,z,2\n"
    "2595,45,2,x,5\n";

TEST(CsvDataset, FeaturesAndLabel) {
    CsvFile file(kCovtype);
    data::CsvDataset ds(file.path, {.label = "Cover_Type", .features = {"Elevation", "Aspect", "Slope"}});
    EXPECT_EQ(ds.size(), 5);
    EXPECT_EQ(ds.feature_names(), (std::vector<std::string>{"Elevation", "Aspect", "Slope"}));
    EXPECT_TENSOR_EQ(ds.labels(), tensor(std::vector<int64_t>{5, 5, 2, 2, 5}));
    EXPECT_EQ(ds.features().sizes(), IntArrayRef({5, 3}));
    EXPECT_EQ(ds.features().dtype(), DType::Float32);
    auto [x, y] = ds.get(2);
    EXPECT_TENSOR_EQ(x, tensor({2804.f, 139.f, 9.f}));
    EXPECT_EQ(y.item<int64_t>(), 2);
    EXPECT_EQ(ds.get(-1).second.item<int64_t>(), 5);
    EXPECT_EMBER_ERROR(ds.get(5), "CsvDataset: index 5 is out of range for 5 rows");
}

TEST(CsvDataset, DefaultsAndDtypes) {
    CsvFile file("a,b,label\n1,2.5,0\n3,4.5,1\n");
    data::CsvDataset ds(file.path, {.feature_dtype = DType::Float64, .label_dtype = DType::Float32});
    EXPECT_EQ(ds.feature_names(), (std::vector<std::string>{"a", "b"}));  // label: the last column
    EXPECT_TENSOR_EQ(ds.features(), tensor({{1., 2.5}, {3., 4.5}}, {.dtype = DType::Float64}));
    EXPECT_TENSOR_EQ(ds.labels(), tensor({0.f, 1.f}));
}

TEST(CsvDataset, BatchesThroughADataLoader) {
    CsvFile file(kCovtype);
    data::CsvDataset ds(file.path, {.features = {"Elevation", "Slope"}});
    data::DataLoader loader(ds, {.batch_size = 2, .num_workers = 2});
    std::vector<int64_t> rows;
    for (auto& [x, y] : loader) {
        EXPECT_EQ(x.size(1), 2);
        EXPECT_EQ(x.size(0), y.size(0));
        rows.push_back(x.size(0));
    }
    EXPECT_EQ(rows, (std::vector<int64_t>{2, 2, 1}));
}

TEST(CsvDataset, Errors) {
    CsvFile file(kCovtype);
    EXPECT_EMBER_ERROR(data::CsvDataset(file.path, {.label = "Cover"}),
                       "CsvDataset", "has no label column \"Cover\"");
    EXPECT_EMBER_ERROR(data::CsvDataset(file.path, {.label = "Slope", .features = {"Slope"}}),
                       "the label column \"Slope\" is also listed as a feature");
    // Every other column by default, the string column "Soil" among them: read_csv says why.
    EXPECT_THROW(data::CsvDataset(file.path, {.label = "Cover_Type"}), Error);
    EXPECT_THROW(data::CsvDataset("/nonexistent/covtype.csv"), Error);
}

}  // namespace
}  // namespace ember::test
