// View ops against PyTorch (tests/golden/views.json, tools/golden/views.py): sizes, strides,
// storage offset, contiguity and values, on contiguous, transposed and sliced bases.
#include <functional>
#include <map>

#include "support/golden.h"

using namespace ember;
using ember::test::json;
using ember::test::tensor_from_json;

namespace {

using ViewFn = std::function<TensorList(const Tensor&)>;

ViewFn one(std::function<Tensor(const Tensor&)> f) {
    return [f](const Tensor& t) { return TensorList{f(t)}; };
}

const std::map<std::string, ViewFn>& views() {
    static const std::map<std::string, ViewFn> v = {
        {"view_6_4", one([](const Tensor& t) { return t.view({6, 4}); })},
        {"view_-1", one([](const Tensor& t) { return t.view({-1}); })},
        {"reshape_4_6", one([](const Tensor& t) { return t.reshape({4, 6}); })},
        {"reshape_-1_2", one([](const Tensor& t) { return t.reshape({-1, 2}); })},
        {"flatten", one([](const Tensor& t) { return t.flatten(); })},
        {"flatten_1", one([](const Tensor& t) { return t.flatten(1); })},
        {"flatten_0_1", one([](const Tensor& t) { return t.flatten(0, 1); })},
        {"unflatten_2", one([](const Tensor& t) { return t.unflatten(2, {2, -1}); })},
        {"squeeze", one([](const Tensor& t) { return t.unsqueeze(1).squeeze(); })},
        {"squeeze_1", one([](const Tensor& t) { return t.unsqueeze(1).squeeze(1); })},
        {"squeeze_0_noop", one([](const Tensor& t) { return t.squeeze(0); })},
        {"unsqueeze_0", one([](const Tensor& t) { return t.unsqueeze(0); })},
        {"unsqueeze_-1", one([](const Tensor& t) { return t.unsqueeze(-1); })},
        {"transpose_0_1", one([](const Tensor& t) { return t.transpose(0, 1); })},
        {"mT", one([](const Tensor& t) { return t.mT(); })},
        {"permute_2_0_1", one([](const Tensor& t) { return t.permute({2, 0, 1}); })},
        {"narrow_2_1_2", one([](const Tensor& t) { return t.narrow(2, 1, 2); })},
        {"narrow_-1_-2_2", one([](const Tensor& t) { return t.narrow(-1, -2, 2); })},
        {"select_1_-1", one([](const Tensor& t) { return t.select(1, -1); })},
        {"expand", one([](const Tensor& t) {
             return t.index({Slice(), Slice(None, 1)}).expand({-1, 5, -1});
         })},
        {"diagonal", one([](const Tensor& t) { return t.diagonal(); })},
        {"diagonal_1_1_2", one([](const Tensor& t) { return t.diagonal(1, 1, 2); })},
        {"diagonal_-1_0_2", one([](const Tensor& t) { return t.diagonal(-1, 0, 2); })},
        {"as_strided", one([](const Tensor& t) { return t.as_strided({3, 2}, {1, 2}, 1); })},
        {"split_2_-1", [](const Tensor& t) { return t.split(3, -1); }},
        {"split_sizes", [](const Tensor& t) { return t.split(IntArrayRef{1, 3}, -1); }},
        {"chunk_3_-1", [](const Tensor& t) { return t.chunk(3, -1); }},
        {"chunk_5_0", [](const Tensor& t) { return t.chunk(5, 0); }},
        {"unbind_1", [](const Tensor& t) { return t.unbind(1); }},
        {"t_of_2d", one([](const Tensor& t) { return t[0].t(); })},
    };
    return v;
}

Tensor make_base(const std::string& name) {
    if (name == "contiguous") return arange(24.).reshape({2, 3, 4});
    if (name == "transposed") return arange(24.).reshape({2, 3, 4}).transpose(0, 2);
    if (name == "sliced") return arange(48.).reshape({4, 3, 4}).index({Slice(None, None, 2)});
    throw std::runtime_error("unknown base " + name);
}

void expect_geometry(const Tensor& got, const json& want) {
    EXPECT_EQ(got.sizes().vec(), want["sizes"].get<std::vector<int64_t>>());
    EXPECT_EQ(got.strides().vec(), want["strides"].get<std::vector<int64_t>>());
    EXPECT_EQ(got.storage_offset(), want["offset"].get<int64_t>());
    EXPECT_EQ(got.is_contiguous(), want["contiguous"].get<bool>());
    EXPECT_TENSOR_EQ(got, tensor_from_json(want["values"]));
}

}  // namespace

TEST(ViewsGolden, GeometryAndValuesMatchPyTorch) {
    json fixture = ember::test::load_golden("views");
    int checked = 0;
    for (const json& c : fixture["cases"]) {
        SCOPED_TRACE(c["base"].get<std::string>() + " " + c["view"].get<std::string>());
        ASSERT_TRUE(views().count(c["view"])) << c["view"];
        Tensor base = make_base(c["base"]);
        const ViewFn& f = views().at(c["view"]);
        if (c.contains("error")) {
            EXPECT_THROW(f(base), ember::Error) << "PyTorch raised: " << c["error"];
            continue;
        }
        TensorList got = f(base);
        std::vector<json> want = c.contains("results") ? c["results"].get<std::vector<json>>()
                                                       : std::vector<json>{c["result"]};
        ASSERT_EQ(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i) expect_geometry(got[i], want[i]);
        ++checked;
    }
    EXPECT_GT(checked, 80);
}
