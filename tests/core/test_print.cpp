// Printing: `t.str()` / `std::cout << t` must be PyTorch's repr(t) byte for byte, under every
// print option (fixture: tests/golden/print.json from tools/golden/print.py).
#include <algorithm>
#include <limits>
#include <sstream>

#include "support/golden.h"

namespace ember {
namespace {

using test::json;

// Restores the default options however a test ends, so cases never leak into each other.
struct DefaultOptionsGuard {
    DefaultOptionsGuard() { set_printoptions({.profile = "default"}); }
    ~DefaultOptionsGuard() { set_printoptions({.profile = "default"}); }
};

PrintOptions options_from_json(const json& j) {
    PrintOptions o;
    if (j.contains("precision")) o.precision = j["precision"].get<int>();
    if (j.contains("threshold")) o.threshold = j["threshold"].get<int64_t>();
    if (j.contains("edgeitems")) o.edgeitems = j["edgeitems"].get<int>();
    if (j.contains("linewidth")) o.linewidth = j["linewidth"].get<int>();
    if (j.contains("sci_mode")) o.sci_mode = j["sci_mode"].get<bool>();
    if (j.contains("profile")) o.profile = j["profile"].get<std::string>();
    return o;
}

// Python's t[..., start::step] along `dim`, as a strided view (so it stays non-contiguous).
Tensor step_slice(const Tensor& t, int64_t dim, int64_t start, int64_t step) {
    std::vector<int64_t> sizes(t.sizes().begin(), t.sizes().end());
    std::vector<int64_t> strides(t.strides().begin(), t.strides().end());
    const int64_t n = sizes[dim];
    sizes[dim] = start < n ? (n - start + step - 1) / step : 0;
    const int64_t offset = t.storage_offset() + std::min(start, n) * strides[dim];
    strides[dim] *= step;
    return t.as_strided(sizes, strides, offset);
}

// The same view ops tools/golden/print.py applied in PyTorch.
Tensor apply_view(Tensor t, const json& ops) {
    for (const json& op : ops) {
        const std::string kind = op[0].get<std::string>();
        if (kind == "transpose") {
            t = t.transpose(op[1].get<int64_t>(), op[2].get<int64_t>());
        } else if (kind == "slice") {
            EXPECT_TRUE(op[3].is_null()) << "the fixture's slices run to the end";
            t = step_slice(t, op[1].get<int64_t>(), op[2].get<int64_t>(), op[4].get<int64_t>());
        } else if (kind == "expand") {
            t = t.expand(op[1].get<std::vector<int64_t>>());
        } else if (kind == "permute") {
            t = t.permute(op[1].get<std::vector<int64_t>>());
        } else {
            ADD_FAILURE() << "unknown view op " << kind;
        }
    }
    return t;
}

TEST(Print, MatchesPyTorchRepr) {
    const json fixture = test::load_golden("print");
    const json& cases = fixture.at("cases");
    ASSERT_GT(cases.size(), 400u);
    int reprs = 0, errors = 0;
    for (const json& c : cases) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        DefaultOptionsGuard guard;
        Tensor base = test::tensor_from_json(c.at("tensor"));
        ASSERT_EQ(base.dtype(), test::dtype_from_name(c["tensor"]["dtype"].get<std::string>()));
        if (c.contains("options"))
            for (const json& call : c["options"]) set_printoptions(options_from_json(call));
        Tensor t = c.contains("view") ? apply_view(base, c["view"]) : base;
        if (c.value("requires_grad", false)) t.requires_grad_(true);
        const json& expected = c.at("expected");
        if (expected.contains("repr")) {
            ++reprs;
            EXPECT_EQ(t.str(), expected["repr"].get<std::string>());
        } else {
            // PyTorch cannot summarize a >= 2-D tensor with edgeitems=0; ember says why.
            ++errors;
            EXPECT_NE(expected["error"].get<std::string>().find("stack expects a non-empty"),
                      std::string::npos);
            EXPECT_EMBER_ERROR(t.str(), "print: cannot summarize a tensor of shape",
                               "edgeitems=0");
        }
    }
    EXPECT_GT(reprs, 400);
    EXPECT_GE(errors, 1);
}

TEST(Print, SeedExampleAndStream) {
    DefaultOptionsGuard guard;
    Tensor x = tensor({{1., -1.}, {1., -1.}});
    const char* expected = "tensor([[ 1., -1.],\n        [ 1., -1.]])";
    EXPECT_EQ(x.str(), expected);
    std::ostringstream ss;
    ss << x;
    EXPECT_EQ(ss.str(), expected);
}

TEST(Print, NonContiguousPrintsLogicalValues) {
    DefaultOptionsGuard guard;
    Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
    EXPECT_FALSE(x.t().is_contiguous());
    // Expected strings printed by PyTorch 1.13 for x.t() and x[:, ::2].
    EXPECT_EQ(x.t().str(), "tensor([[1, 4],\n        [2, 5],\n        [3, 6]])");
    Tensor stepped = step_slice(x, 1, 0, 2);
    EXPECT_FALSE(stepped.is_contiguous());
    EXPECT_EQ(stepped.str(), "tensor([[1, 3],\n        [4, 6]])");
    EXPECT_EQ(stepped.str(), stepped.contiguous().str());
}

TEST(Print, OptionsRoundTripAndQuirks) {
    DefaultOptionsGuard guard;
    PrintOptions o = print_options();
    EXPECT_EQ(o.precision, 4);
    EXPECT_EQ(o.threshold, 1000);
    EXPECT_EQ(o.edgeitems, 3);
    EXPECT_EQ(o.linewidth, 80);
    EXPECT_FALSE(o.sci_mode.has_value());
    EXPECT_FALSE(o.profile.has_value());

    set_printoptions({.sci_mode = false});
    EXPECT_EQ(print_options().sci_mode, false);
    // Every call resets sci_mode unless it is given (PyTorch's quirk).
    set_printoptions({.precision = 6});
    EXPECT_FALSE(print_options().sci_mode.has_value());
    EXPECT_EQ(print_options().precision, 6);

    // The profile applies first, then the explicit fields.
    set_printoptions({.edgeitems = 1, .profile = "short"});
    o = print_options();
    EXPECT_EQ(o.precision, 2);
    EXPECT_EQ(o.edgeitems, 1);
    EXPECT_EQ(o.threshold, 1000);

    set_printoptions({.profile = "full"});
    o = print_options();
    EXPECT_EQ(o.threshold, std::numeric_limits<int64_t>::max());
    EXPECT_EQ(o.precision, 4);
    EXPECT_EQ(o.edgeitems, 3);
}

TEST(Print, InvalidOptionsThrowAndChangeNothing) {
    DefaultOptionsGuard guard;
    set_printoptions({.precision = 6, .sci_mode = true});
    EXPECT_EMBER_ERROR(set_printoptions({.precision = 3, .profile = "long"}), "set_printoptions",
                       "unknown profile \"long\"", "\"default\", \"short\" or \"full\"");
    EXPECT_EMBER_ERROR(set_printoptions({.precision = -1}), "set_printoptions",
                       "precision must be >= 0, got -1");
    EXPECT_EMBER_ERROR(set_printoptions({.edgeitems = -2}), "set_printoptions",
                       "edgeitems must be >= 0, got -2");
    PrintOptions o = print_options();
    EXPECT_EQ(o.precision, 6);
    EXPECT_EQ(o.sci_mode, true);
}

TEST(Print, EdgeitemsZeroErrorNamesTheShape) {
    DefaultOptionsGuard guard;
    set_printoptions({.threshold = 3, .edgeitems = 0});
    EXPECT_EMBER_ERROR(arange(12).reshape({3, 4}).str(), "print", "[3, 4]", "numel 12",
                       "threshold 3", "edgeitems=0");
    // 1-D keeps PyTorch's quirk: the tail slice [-0:] is the whole tensor.
    EXPECT_EQ(arange(4).str(), "tensor([ ..., 0, 1, 2, 3])");
}

TEST(Print, UndefinedTensor) {
    std::ostringstream ss;
    ss << Tensor();
    EXPECT_EQ(ss.str(), "[ Tensor (undefined) ]");
}

}  // namespace
}  // namespace ember
