// Random number generation: PyTorch's CPU streams bit for bit (tests/golden/rng.json, made by
// tools/golden/rng.py), generator state, thread independence and the error paths.
#include <cmath>
#include <cstdio>
#include <map>

#include "support/golden.h"

using namespace ember;
using ember::test::json;

namespace {

// FNV-1a over the bytes of t's elements in logical order (the fixture's hash of large outputs).
std::string fnv1a64(const Tensor& t) {
    Tensor c = t.contiguous();
    const auto* bytes = static_cast<const uint8_t*>(c.data_ptr());
    uint64_t h = 0xcbf29ce484222325ull;
    for (int64_t i = 0; i < c.nbytes(); ++i) {
        h ^= bytes[i];
        h *= 0x100000001b3ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// Compares an output with a fixture entry: every value, or head, tail and hash.
void expect_output(const Tensor& actual, const json& out) {
    if (out.contains("full")) {
        EXPECT_TENSOR_EQ(actual, test::tensor_from_json(out["full"]));
        return;
    }
    ASSERT_EQ(actual.sizes().vec(), out["shape"].get<std::vector<int64_t>>());
    ASSERT_EQ(actual.dtype(), test::dtype_from_name(out["dtype"].get<std::string>()));
    Tensor flat = actual.contiguous().reshape({-1});
    const int64_t n = flat.numel();
    EXPECT_TENSOR_EQ(flat.narrow(0, 0, 8), test::tensor_from_json(out["head"]));
    EXPECT_TENSOR_EQ(flat.narrow(0, n - 8, 8), test::tensor_from_json(out["tail"]));
    EXPECT_EQ(fnv1a64(actual), out["fnv1a"].get<std::string>());
}

// An uninitialised tensor of logical shape `size` laid out as the fixture script's make_out.
Tensor make_out(const std::vector<int64_t>& size, DType dtype, const std::string& layout) {
    if (layout == "contig") return empty(size, {.dtype = dtype});
    if (layout == "t") return empty({size[1], size[0]}, {.dtype = dtype}).t();
    if (layout == "step") {
        std::vector<int64_t> tall = size;
        tall[0] *= 2;
        return empty(tall, {.dtype = dtype}).index({Slice(None, None, 2)});
    }
    if (layout == "permute")
        return empty({size[1], size[2], size[0]}, {.dtype = dtype}).permute({2, 0, 1});
    throw std::runtime_error("unknown layout " + layout);
}

Tensor p_tensor_of(const json& step) {
    Tensor p = test::tensor_from_json(step["p_tensor"]);
    // The same values with transposed strides, as the script passed them.
    if (step["p_layout"] == "t") p = p.t().contiguous().t();
    return p;
}

// Runs one fixture step with ember's API.
Tensor run_step(const json& s, const std::map<std::string, Generator>& gens) {
    std::optional<Generator> gen;
    if (s.contains("gen") && s["gen"] != "global") gen = gens.at(s["gen"].get<std::string>());
    const std::string op = s["op"];
    const DType dtype = test::dtype_from_name(s.value("dtype", std::string("float32")));
    std::vector<int64_t> size = s.value("size", std::vector<int64_t>{});
    if (op == "rand") return rand(size, {.dtype = dtype}, gen);
    if (op == "randn") return randn(size, {.dtype = dtype}, gen);
    if (op == "randint")
        return randint(s["low"].get<int64_t>(), s["high"].get<int64_t>(), size, {.dtype = dtype},
                       gen);
    if (op == "randperm") return randperm(s["n"].get<int64_t>(), {.dtype = dtype}, gen);
    if (op == "normal")
        return normal(s["mean"].get<double>(), s["std"].get<double>(), size, {.dtype = dtype}, gen);
    if (op == "bernoulli_p_tensor") return bernoulli(p_tensor_of(s), gen);
    if (op == "bernoulli_x_p")
        return bernoulli(zeros(size, {.dtype = dtype}), s["p"].get<double>(), gen);
    Tensor out = make_out(size, dtype, s.value("layout", std::string("contig")));
    if (op == "uniform_") return out.uniform_(s["from"].get<double>(), s["to"].get<double>(), gen);
    if (op == "normal_") return out.normal_(s["mean"].get<double>(), s["std"].get<double>(), gen);
    if (op == "bernoulli_") return out.bernoulli_(s["p"].get<double>(), gen);
    if (op == "bernoulli_tensor_") return out.bernoulli_(p_tensor_of(s), gen);
    if (op == "random_") {
        if (s.contains("from"))
            return out.random_(s["from"].get<int64_t>(), s["to"].get<int64_t>(), gen);
        if (s.contains("to")) return out.random_(s["to"].get<int64_t>(), gen);
        return out.random_(gen);
    }
    throw std::runtime_error("unknown op " + op);
}

std::vector<uint8_t> from_hex(const std::string& hex) {
    std::vector<uint8_t> bytes(hex.size() / 2);
    for (size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return bytes;
}

std::string to_hex(const Tensor& bytes) {
    std::string out;
    char buf[3];
    for (uint8_t b : bytes.to_vector<uint8_t>()) {
        std::snprintf(buf, sizeof(buf), "%02x", b);
        out += buf;
    }
    return out;
}

}  // namespace

TEST(RandomGolden, EveryCaseMatchesPyTorchBitForBit) {
    json g = test::load_golden("rng");
    for (const json& c : g["cases"]) {
        SCOPED_TRACE("case " + c["name"].get<std::string>());
        manual_seed(c["seed"].get<uint64_t>());
        std::map<std::string, Generator> gens;
        if (!c["gen_seed"].is_null()) gens.emplace("g", Generator(c["gen_seed"].get<uint64_t>()));
        int index = 0;
        for (const json& step : c["steps"]) {
            SCOPED_TRACE("step " + std::to_string(index++) + ": " + step["op"].get<std::string>() +
                         " " + step.value("dtype", std::string("")) + " " +
                         step.value("layout", std::string("")));
            Tensor out = run_step(step, gens);
            expect_output(out, step["out"]);
        }
    }
}

TEST(RandomGolden, ManualSeedZeroExamplesOfTheReference) {
    json g = test::load_golden("rng")["manual_seed0"];
    manual_seed(0);
    EXPECT_TENSOR_EQ(rand({4}), test::tensor_from_json(g["rand4"]));
    manual_seed(0);
    EXPECT_EQ(randperm(10).to_vector<int64_t>(),
              (std::vector<int64_t>{4, 1, 7, 5, 3, 9, 0, 8, 6, 2}));
    manual_seed(0);
    Tensor z = randn({16});
    EXPECT_TENSOR_EQ(z, test::tensor_from_json(g["randn16"]));
    // The value that tells the AVX2 kernel (which PyTorch runs on x86) from the libm one.
    EXPECT_EQ(z.to_vector<float>()[3], static_cast<float>(-0.43387880921363831));
    manual_seed(0);
    std::vector<float> r = rand({4}).to_vector<float>();
    EXPECT_NEAR(r[0], 0.49625659, 1e-8);
    EXPECT_NEAR(r[3], 0.13203049, 1e-8);
}

TEST(Generator, StateHasPyTorchsLayoutAndMovesBetweenGenerators) {
    json g = test::load_golden("rng")["state"];
    manual_seed(31);
    rand({5});
    randn({1});  // leaves the second Box-Muller value cached
    Tensor state = get_rng_state();
    EXPECT_EQ(state.dtype(), uint8);
    EXPECT_EQ(state.numel(), 5056);
    EXPECT_EQ(to_hex(state), g["after_rand5_randn1"].get<std::string>());
    EXPECT_TENSOR_EQ(randn({3}), test::tensor_from_json(g["next_randn3"]));
    expect_output(rand({700}), g["next_rand700"]);

    // PyTorch's bytes into a fresh generator: the same continuation, cached value included.
    std::vector<uint8_t> bytes = from_hex(g["after_rand5_randn1"].get<std::string>());
    Generator other(12345);
    other.set_state(tensor(bytes));
    EXPECT_EQ(other.initial_seed(), 31u);
    EXPECT_TENSOR_EQ(randn({3}, {}, other), test::tensor_from_json(g["next_randn3"]));
    expect_output(rand({700}, {}, other), g["next_rand700"]);

    const uint64_t fresh_seed = g["fresh_seed"].get<uint64_t>();
    Generator fresh(fresh_seed);
    EXPECT_EQ(fresh.initial_seed(), fresh_seed);  // all 64 bits are remembered
    EXPECT_EQ(fnv1a64(fresh.get_state()), g["fresh_fnv1a"].get<std::string>());
    manual_seed(fresh_seed);
    EXPECT_EQ(initial_seed(), fresh_seed);
    EXPECT_EQ(fnv1a64(get_rng_state()), g["fresh_fnv1a"].get<std::string>());
}

TEST(Generator, SetStateRestoresTheStreamAndTheCache) {
    Generator gen(77);
    randn({1}, {}, gen);  // cache set
    Tensor saved = gen.get_state();
    Tensor a = randn({5}, {}, gen);
    Tensor b = rand({40}, {.dtype = float64}, gen);
    gen.set_state(saved);
    EXPECT_TENSOR_EQ(randn({5}, {}, gen), a);
    EXPECT_TENSOR_EQ(rand({40}, {.dtype = float64}, gen), b);
    // get_state returns a copy: drawing does not change a saved state.
    EXPECT_TENSOR_EQ(gen.set_state(saved).get_state(), saved);

    // The legacy 5048-byte format (no float cache) restores the engine too.
    Generator seeded(9);
    Tensor legacy = seeded.get_state().narrow(0, 0, 5048).clone();
    Tensor expected = rand({10}, {}, seeded);
    Generator restored;
    restored.set_state(legacy);
    EXPECT_TENSOR_EQ(rand({10}, {}, restored), expected);
}

TEST(Generator, SeedsAndDefaults) {
    json g = test::load_golden("rng");
    EXPECT_EQ(Generator().initial_seed(), g["default_generator_seed"].get<uint64_t>());
    EXPECT_TENSOR_EQ(rand({5}, {}, Generator()),
                     test::tensor_from_json(g["default_generator_rand5"]));
    // Only the low 32 bits reach the engine.
    Tensor a = rand({6}, {}, Generator(5));
    Tensor b = rand({6}, {}, Generator((uint64_t{1} << 32) + 5));
    EXPECT_TENSOR_EQ(a, b);
    // manual_seed on the global generator returns it; seed() reseeds and reports the seed.
    Generator global = manual_seed(8);
    EXPECT_TRUE(global.is_same(default_generator()));
    EXPECT_EQ(global.initial_seed(), 8u);
    uint64_t s = ember::seed();
    EXPECT_EQ(initial_seed(), s);
    Generator gen(1);
    uint64_t s2 = gen.seed();
    EXPECT_EQ(gen.initial_seed(), s2);
    EXPECT_EQ(gen.manual_seed(3).initial_seed(), 3u);
}

TEST(Generator, ExplicitAndGlobalStreamsAreIndependent) {
    manual_seed(5);
    Tensor global_only = rand({10});
    manual_seed(5);
    Generator gen(5);
    Tensor from_gen = rand({3}, {}, gen);
    Tensor global_after = rand({10});
    EXPECT_TENSOR_EQ(global_after, global_only);
    EXPECT_TENSOR_EQ(from_gen, global_only.narrow(0, 0, 3));  // same seed, same stream
    // Copies of a Generator share one state.
    Generator copy = gen;
    Tensor next = rand({2}, {}, copy);
    EXPECT_TENSOR_EQ(next, global_only.narrow(0, 3, 2));
    EXPECT_TENSOR_EQ(rand({1}, {}, gen), global_only.narrow(0, 5, 1));
    // The normal cache belongs to its generator.
    manual_seed(6);
    Generator other(6);
    Tensor g1 = randn({1});
    Tensor o1 = randn({1}, {}, other);
    Tensor g2 = randn({1});
    Tensor o2 = randn({1}, {}, other);
    EXPECT_TENSOR_EQ(g1, o1);
    EXPECT_TENSOR_EQ(g2, o2);
}

TEST(Random, ValuesDoNotDependOnTheThreadCount) {
    const int saved = get_num_threads();
    std::vector<std::vector<Tensor>> runs;
    for (int threads : {1, 2}) {
        set_num_threads(threads);
        manual_seed(3);
        std::vector<Tensor> r;
        r.push_back(rand({70000}));
        r.push_back(randn({70001}));
        r.push_back(randn({300, 250}, {.dtype = float64}).t().contiguous());
        r.push_back(empty({400, 200}).t().normal_(1, 2));
        r.push_back(randint(0, 1000, {70000}));
        r.push_back(empty({300, 300}, {.dtype = int32}).t().random_(-5, 5));
        r.push_back(bernoulli(rand({70000})));
        r.push_back(empty({70000}, {.dtype = bool_}).bernoulli_(0.4));
        r.push_back(randperm(70000));
        runs.push_back(r);
    }
    set_num_threads(saved);
    for (size_t i = 0; i < runs[0].size(); ++i) {
        SCOPED_TRACE("output " + std::to_string(i));
        EXPECT_TENSOR_EQ(runs[1][i], runs[0][i]);
    }
}

TEST(Random, EmptyAndZeroDimTensors) {
    json g = test::load_golden("rng")["manual_seed0"];
    manual_seed(0);
    // Empty outputs and one-element permutations draw nothing.
    EXPECT_EQ(rand({0}).sizes().vec(), (std::vector<int64_t>{0}));
    EXPECT_EQ(randn({2, 0}).sizes().vec(), (std::vector<int64_t>{2, 0}));
    EXPECT_EQ(randint(0, 5, {0, 3}).numel(), 0);
    EXPECT_EQ(randperm(0).numel(), 0);
    EXPECT_EQ(randperm(0).dtype(), int64);
    EXPECT_EQ(randperm(1).to_vector<int64_t>(), (std::vector<int64_t>{0}));
    EXPECT_EQ(bernoulli(empty({0})).numel(), 0);
    EXPECT_TENSOR_EQ(rand({4}), test::tensor_from_json(g["rand4"]));
    // A 0-dim tensor is one element, drawn like a 1-element tensor.
    manual_seed(0);
    Tensor s = rand({});
    EXPECT_EQ(s.dim(), 0);
    EXPECT_EQ(s.item<float>(), test::tensor_from_json(g["rand4"]).to_vector<float>()[0]);
    manual_seed(0);
    float n0 = randn({}).item<float>();
    manual_seed(0);
    EXPECT_EQ(n0, randn({1}).item<float>());
}

TEST(Random, LikeFactoriesAndOptions) {
    Tensor like = empty({7, 5}, {.dtype = float64}).t();
    manual_seed(11);
    Tensor a = randn_like(like);
    manual_seed(11);
    Tensor b = empty({7, 5}, {.dtype = float64}).t().normal_();
    EXPECT_EQ(a.strides().vec(), like.strides().vec());  // the layout of `like` is kept
    EXPECT_TENSOR_EQ(a, b);
    manual_seed(12);
    Tensor r = rand_like(like, {.dtype = float32});
    manual_seed(12);
    EXPECT_TENSOR_EQ(r, empty({7, 5}).t().uniform_());
    Tensor ints = empty({4}, {.dtype = int32});
    manual_seed(13);
    Tensor ri = randint_like(ints, 3, 9);
    EXPECT_EQ(ri.dtype(), int32);
    manual_seed(13);
    EXPECT_TENSOR_EQ(ri, randint(3, 9, {4}, {.dtype = int32}));
    manual_seed(13);
    Tensor ri9 = randint_like(ints, 9);
    manual_seed(13);
    EXPECT_TENSOR_EQ(ri9, randint(9, {4}, {.dtype = int32}));
    // requires_grad for floating results.
    EXPECT_TRUE(rand({3}, {.requires_grad = true}).requires_grad());
    EXPECT_TRUE(randn({3}, {.dtype = float64, .requires_grad = true}).requires_grad());
    EXPECT_TRUE(randint(0, 4, {3}, {.dtype = float32, .requires_grad = true}).requires_grad());
    EXPECT_FALSE(randn({3}).requires_grad());
    // In-place fills bump the version counter (autograd's check for modified saved tensors).
    Tensor t = zeros({3});
    uint32_t v = t.version();
    t.uniform_();
    EXPECT_GT(t.version(), v);
}

TEST(Random, BernoulliOnHalfMatchesOtherDtypes) {
    // PyTorch 1.13 has no Half kernel for bernoulli_ on the CPU; ember draws as for every dtype.
    manual_seed(2);
    Tensor f = empty({40}).bernoulli_(0.35);
    manual_seed(2);
    Tensor h = empty({40}, {.dtype = float16}).bernoulli_(0.35);
    EXPECT_TENSOR_EQ(h.to(float32), f);
    Tensor p = rand({30}, {.dtype = float32}, Generator(4));
    manual_seed(3);
    Tensor from_float = bernoulli(p);
    manual_seed(3);
    Tensor from_half_out = empty({30}, {.dtype = float16}).bernoulli_(p);
    EXPECT_TENSOR_EQ(from_half_out.to(float32), from_float);
}

TEST(Random, Errors) {
    EXPECT_EMBER_ERROR(randint(5, 5, {3}), "randint",
                       "random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
    EXPECT_EMBER_ERROR(randint(0, {3}), "but got from=0 >= to=0");
    EXPECT_EMBER_ERROR(randint_like(zeros({3}), 5, 5), "randint_like", "from=5 >= to=5");
    EXPECT_EMBER_ERROR(zeros({3}).random_(-1), "from=0 >= to=-1");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = uint8}).random_(-1, 3),
                       "from is out of bounds for uint8");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = uint8}).random_(0, 257),
                       "to - 1 is out of bounds for uint8");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = int8}).random_(-129, 3),
                       "from is out of bounds for int8");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = bool_}).random_(0, 3),
                       "to - 1 is out of bounds for bool");
    EXPECT_EMBER_ERROR(randint(-5, 5, {4}, {.dtype = bool_}), "from is out of bounds for bool");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = float16}).random_(0, 70000),
                       "to - 1 is out of bounds for float16");
    EXPECT_EMBER_ERROR(zeros({4}).random_((1 << 25) + 1, (1 << 25) + 3),
                       "random_ expects 'from' casted to dtype to be less than 'to' casted to "
                       "dtype, but got from=33554436 >= to=33554435");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = int32}).random_(int64_t{-1} << 62, 3),
                       "from is out of bounds for int32");

    EXPECT_EMBER_ERROR(rand({3}).uniform_(2, 1), "uniform_",
                       "uniform_ expects to return a [from, to) range, but found from=2 > to=1");
    EXPECT_EMBER_ERROR(rand({0}).uniform_(3, 2), "found from=3 > to=2");
    EXPECT_EMBER_ERROR(rand({3}).uniform_(-INFINITY, 1), "from is out of bounds for float32");
    EXPECT_EMBER_ERROR(rand({3}).uniform_(0, 3.5e38), "to is out of bounds for float32");
    EXPECT_EMBER_ERROR(rand({3}).uniform_(NAN, 1), "from is out of bounds for float32");
    EXPECT_EMBER_ERROR(rand({3}).uniform_(-3e38, 3e38),
                       "uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found "
                       "to=3e+38 and from=-3e+38 which result in to-from to exceed the limit");
    EXPECT_EMBER_ERROR(zeros({2}, {.dtype = float16}).uniform_(-6e4, 6e4),
                       "std::numeric_limits<Half>::max()");

    EXPECT_EMBER_ERROR(rand({3}).normal_(0, -1), "normal_",
                       "normal expects std >= 0.0, but found std -1");
    EXPECT_EMBER_ERROR(rand({0}).normal_(0, -1), "normal expects std >= 0.0, but found std -1");
    EXPECT_EMBER_ERROR(rand({3}).normal_(0, NAN), "normal expects std >= 0.0, but found std nan");
    EXPECT_EMBER_ERROR(normal(0., -1., {3}), "normal:", "found std -1");

    EXPECT_EMBER_ERROR(rand({3}).bernoulli_(1.5),
                       "bernoulli_ expects p to be in [0, 1], but got p=1.5");
    EXPECT_EMBER_ERROR(rand({3}).bernoulli_(-0.1), "but got p=-0.1");
    EXPECT_EMBER_ERROR(rand({3}).bernoulli_(NAN), "but got p=nan");
    EXPECT_EMBER_ERROR(bernoulli(ones({3}), 1.5), "bernoulli:", "but got p=1.5");
    EXPECT_EMBER_ERROR(bernoulli(tensor({0.5, 1.5})), "p_in >= 0 && p_in <= 1", "is 1.5",
                       "[2] float32");
    EXPECT_EMBER_ERROR(bernoulli(tensor({0.5, -0.5}).expand({2, 2})), "is -0.5");
    EXPECT_EMBER_ERROR(bernoulli(tensor({0.5, NAN})), "is nan");
    EXPECT_EMBER_ERROR(bernoulli(tensor({1, 0})),
                       "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'");
    EXPECT_EMBER_ERROR(zeros({3}).bernoulli_(tensor({1, 0, 1})),
                       "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'");
    EXPECT_EMBER_ERROR(zeros({3}).bernoulli_(tensor({0.5, 0.5})),
                       "p of shape [2] cannot be broadcast to the shape [3] of self");
    EXPECT_EMBER_ERROR(zeros({3}).bernoulli_(full({2, 3}, 0.5)),
                       "p of shape [2, 3] cannot be broadcast to the shape [3] of self");

    EXPECT_EMBER_ERROR(randperm(-1), "randperm: n must be non-negative, got -1");
    EXPECT_EMBER_ERROR(randperm(3, {.dtype = bool_}), "\"randperm\" not implemented for 'Bool'");
    EXPECT_EMBER_ERROR(randperm(3000, {.dtype = float16}),
                       "n cannot be greater than 2049 for Half type");
    EXPECT_EMBER_ERROR(randperm((int64_t{1} << 24) + 2, {.dtype = float32}),
                       "n cannot be greater than 2^24+1 for Float type");
    EXPECT_EMBER_ERROR(randperm(129, {.dtype = int8}),
                       "n is too large for result tensor type int8");
    EXPECT_EMBER_ERROR(randperm(257, {.dtype = uint8}),
                       "n is too large for result tensor type uint8");
    EXPECT_EQ(randperm(256, {.dtype = uint8}).numel(), 256);
    EXPECT_EQ(randperm(2049, {.dtype = float16}).numel(), 2049);

    EXPECT_EMBER_ERROR(randint(0, 5, {3}, {.requires_grad = true}),
                       "Only Tensors of floating point and complex dtype can require gradients");
    EXPECT_EMBER_ERROR(randperm(3, {.requires_grad = true}),
                       "Only Tensors of floating point and complex dtype can require gradients");

    EXPECT_EMBER_ERROR(randn({3}, {.dtype = int64}),
                       "\"normal_kernel_cpu\" not implemented for 'Long'", "[3] int64");
    EXPECT_EMBER_ERROR(randn({3}, {.dtype = bool_}),
                       "\"normal_kernel_cpu\" not implemented for 'Bool'");
    EXPECT_EMBER_ERROR(normal(0., 1., {3}, {.dtype = int64}), "not implemented for 'Long'");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = int32}).normal_(),
                       "\"normal_kernel_cpu\" not implemented for 'Int'");
    EXPECT_EMBER_ERROR(rand({3}, {.dtype = int64}),
                       "\"check_uniform_bounds\" not implemented for 'Long'");
    EXPECT_EMBER_ERROR(rand_like(zeros({3}, {.dtype = int64})), "rand_like",
                       "not implemented for 'Long'");
    EXPECT_EMBER_ERROR(randn_like(zeros({3}, {.dtype = int64})), "randn_like",
                       "not implemented for 'Long'");
    EXPECT_EMBER_ERROR(zeros({3}, {.dtype = int32}).uniform_(),
                       "\"check_uniform_bounds\" not implemented for 'Int'");

    EXPECT_EMBER_ERROR(rand({-1}),
                       "rand: Trying to create tensor with negative dimension -1: [-1]");
    EXPECT_EMBER_ERROR(randn({2, -1}),
                       "randn: Trying to create tensor with negative dimension -1: [2, -1]");

    const char* overlap =
        "more than one element of the written-to tensor refers to a single memory location";
    EXPECT_EMBER_ERROR(zeros({1}).expand({3}).uniform_(), "uniform_", overlap);
    EXPECT_EMBER_ERROR(zeros({1}).expand({20}).normal_(), "normal_", overlap);
    EXPECT_EMBER_ERROR(zeros({1}).expand({3}).random_(0, 3), "random_", overlap);
    EXPECT_EMBER_ERROR(zeros({1}).expand({3}).random_(), overlap);
    EXPECT_EMBER_ERROR(zeros({1}).expand({3}).bernoulli_(0.5), overlap);
    EXPECT_EMBER_ERROR(zeros({2, 1}).expand({2, 3}).bernoulli_(full({2, 3}, 0.5)), overlap);

    EXPECT_EMBER_ERROR(
        Generator().set_state(zeros({10}, {.dtype = uint8})),
        "expected either a CPUGeneratorImplStateLegacy of size 5048 or a "
        "CPUGeneratorImplState of size 5056 but found the input RNG state size to be 10");
    EXPECT_EMBER_ERROR(Generator().set_state(zeros({5056})), "expected a uint8 cpu tensor",
                       "[5056] float32");
    EXPECT_EMBER_ERROR(Generator().set_state(zeros({5056}, {.dtype = uint8})),
                       "invalid mt19937 state");
}
