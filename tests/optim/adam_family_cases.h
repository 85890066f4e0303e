// The checks every optimizer of the Adam family (Adam, AdamW, Adamax, NAdam, RAdam) runs against
// tests/golden/optim_adam.json (tools/golden/optim_adam.py), written once over the optimizer's
// class and its options and group types.
#pragma once

#include <cstdio>
#include <filesystem>

#include "optim/compact_trajectory.h"

namespace ember::test {

inline const json& adam_fixture() {
    static const json fixture = load_golden("optim_adam");
    return fixture;
}

// Options from a fixture case's kwargs: the fields every optimizer of the family has (lr,
// betas, eps, weight_decay); the caller reads its own.
template <class O>
O read_family_options(const json& kw) {
    O o;
    o.lr = kw.value("lr", o.lr);
    if (kw.contains("betas"))
        o.betas = {kw["betas"][0].get<double>(), kw["betas"][1].get<double>()};
    o.eps = kw.value("eps", o.eps);
    o.weight_decay = kw.value("weight_decay", o.weight_decay);
    return o;
}

template <class Opt, class O>
MakeOptimizer make_with(const O& options) {
    return [options](std::vector<Tensor> p) {
        return std::make_unique<Opt>(std::move(p), options);
    };
}

// Every float32 case (10 steps), the float64 run and the two-group run (w with the defaults,
// lr 0.05; b with lr 0.2 and betas (0.5, 0.999)), built through the constructor taking groups
// and through add_param_group.
template <class Opt, class O, class G>
void expect_family_trajectories(const std::string& name, O (*read)(const json&)) {
    const json& fx = adam_fixture();
    const json& entry = fx.at(name);
    for (const json& c : entry.at("cases"))
        expect_compact_trajectory(fx.at("problem"), c, make_with<Opt>(read(c.at("kwargs"))));
    expect_compact_trajectory(fx.at("problem_float64"), entry.at("float64"),
                              make_with<Opt>(read(entry.at("float64").at("kwargs"))));

    O defaults;
    defaults.lr = 0.05;
    expect_compact_trajectory(fx.at("problem"), entry.at("groups"), [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<Opt>(
            std::vector<G>{{.params = {p[0]}},
                           {.params = {p[1]}, .lr = 0.2, .betas = std::pair(0.5, 0.999)}},
            defaults);
        EXPECT_EQ(opt->param_groups()[0].lr(), 0.05);
        EXPECT_EQ(opt->param_groups()[1].lr(), 0.2);
        EXPECT_EQ(opt->param_groups()[0].options.pair("betas"), std::pair(0.9, 0.999));
        EXPECT_EQ(opt->param_groups()[1].options.pair("betas"), std::pair(0.5, 0.999));
        return opt;
    });
    expect_compact_trajectory(fx.at("problem"), entry.at("groups"), [&](std::vector<Tensor> p) {
        auto opt = std::make_unique<Opt>(std::vector<Tensor>{p[0]}, defaults);
        opt->add_param_group(G{.params = {p[1]}, .lr = 0.2, .betas = std::pair(0.5, 0.999)});
        return opt;
    });
}

// The state of b after the "all" case's 10 steps, names and order included.
template <class Opt, class O>
void expect_family_final_state(const std::string& name, O (*read)(const json&)) {
    const json& fx = adam_fixture();
    const json& entry = fx.at(name);
    OptimProblem problem(fx.at("problem"));
    Opt opt({problem.w, problem.b}, read(entry.at("cases").back().at("kwargs")));
    run_steps(opt, problem, 10);
    expect_state_matches(opt.state(problem.b), entry.at("final_state"), problem.b);
}

// 5 steps, the state dict into a fresh optimizer made with other options (in memory and
// through a safetensors file), 5 more: the same parameters as 10 straight steps.
template <class Opt, class O>
void expect_family_resumes(const std::string& name, const O& options) {
    const json& fx = adam_fixture();
    O other;
    other.lr = 0.5;  // replaced by the state dict's
    expect_resume_identical(fx.at("problem"), make_with<Opt>(options), make_with<Opt>(other),
                            [&](optim::StateDict& sd) {
                                EXPECT_EQ(sd.optimizer, name);
                                ASSERT_EQ(sd.param_groups.size(), 1u);
                                EXPECT_EQ(sd.param_groups[0].options.number("lr"), options.lr);
                            });
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("ember_test_optim_" + name + ".safetensors"))
                                 .string();
    expect_resume_identical(fx.at("problem"), make_with<Opt>(options), make_with<Opt>(other),
                            [&](optim::StateDict& sd) {
                                ember::save(sd, path);
                                sd = optim::StateDict::load(path);
                                EXPECT_EQ(sd.optimizer, name);
                            });
    std::remove(path.c_str());
}

// A transposed parameter and gradient update as their contiguous forms do, through the view.
template <class Opt, class O>
void expect_non_contiguous_like_contiguous(const O& options) {
    Tensor base = (arange(6, {.dtype = DType::Float32}) - 2.5).reshape({2, 3});
    Tensor grad = (arange(6, {.dtype = DType::Float32}) * 0.3 - 1).reshape({2, 3});
    Tensor p = base.t().detach().requires_grad_();
    Tensor q = base.t().contiguous().requires_grad_();
    ASSERT_FALSE(p.is_contiguous());
    Opt strided({p}, options), dense({q}, options);
    for (int i = 0; i < 3; ++i) {
        p.mutable_grad() = grad.t();  // not contiguous either
        q.mutable_grad() = grad.t().contiguous();
        strided.step();
        dense.step();
    }
    EXPECT_TENSOR_EQ(p.detach().contiguous(), q.detach());
    EXPECT_TENSOR_EQ(base.t().contiguous(), q.detach());  // updated in place, through the view
}

// A parameter large enough to be split over threads: the same result after `steps` steps on 1
// and on 2 threads (chunk boundaries fall inside the vectorised loop).
template <class Opt, class O>
void expect_thread_count_independent(const O& options, int steps = 3) {
    const int64_t n = 100003;
    auto run = [&](int threads) {
        const int saved = get_num_threads();
        set_num_threads(threads);
        Tensor p = (arange(n, {.dtype = DType::Float32}) * 1e-4).sin().requires_grad_();
        Opt opt({p}, options);
        for (int i = 0; i < steps; ++i) {
            p.mutable_grad() = (arange(n, {.dtype = DType::Float32}) * (1e-3 * (i + 1))).cos();
            opt.step();
        }
        set_num_threads(saved);
        return p.detach();
    };
    EXPECT_TENSOR_EQ(run(2), run(1));
}

// Parameters without a gradient are skipped (no state); empty parameters update (nothing);
// a gradient that does not match its parameter is an error that leaves no state behind.
template <class Opt, class O>
void expect_family_edge_cases(const std::string& name, const O& options) {
    Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
    Tensor empty = zeros({0, 3}).requires_grad_();
    Opt opt({a, b, empty}, options);
    a.mutable_grad() = full({2}, 2.0);
    empty.mutable_grad() = zeros({0, 3});
    opt.step();
    EXPECT_TRUE(opt.state(b).empty());
    EXPECT_EQ(opt.state(a).step, 1);
    EXPECT_EQ(opt.state(empty).step, 1);
    EXPECT_TENSOR_EQ(b.detach(), ones({2}));
    EXPECT_FALSE(tensors_equal(a.detach(), ones({2})));

    b.mutable_grad() = ones({3});
    EXPECT_EMBER_ERROR(opt.step(), name.c_str(), "the gradient", "[3]", "[2]");
    EXPECT_TRUE(opt.state(b).empty());
    b.mutable_grad() = ones({2}, {.dtype = DType::Float64});
    EXPECT_EMBER_ERROR(opt.step(), name.c_str(), "float64", "float32");
    EXPECT_TRUE(opt.state(b).empty());
}

// PyTorch's messages for the options the family shares, prefixed by the class name.
template <class Opt, class O>
void expect_family_option_errors(const std::string& name) {
    Tensor p = ones({2}).requires_grad_();
    const std::string prefix = name + ": ";
    auto with = [](auto change) {
        O o;
        change(o);
        return o;
    };
    EXPECT_EMBER_ERROR(Opt({p}, with([](O& o) { o.lr = -1; })), prefix.c_str(),
                       "Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(Opt({p}, with([](O& o) { o.eps = -1; })), "Invalid epsilon value: -1");
    EXPECT_EMBER_ERROR(Opt({p}, with([](O& o) { o.betas = {1.0, 0.999}; })),
                       "Invalid beta parameter at index 0: 1");
    EXPECT_EMBER_ERROR(Opt({p}, with([](O& o) { o.betas = {-0.5, 0.999}; })),
                       "Invalid beta parameter at index 0: -0.5");
    EXPECT_EMBER_ERROR(Opt({p}, with([](O& o) { o.betas = {0.9, 1.0}; })),
                       "Invalid beta parameter at index 1: 1");
    EXPECT_EMBER_ERROR(Opt({p}, with([](O& o) { o.weight_decay = -1; })),
                       "Invalid weight_decay value: -1");
    Opt opt({p}, O{});
    EXPECT_EMBER_ERROR(opt.add_param_group({ones({1}).requires_grad_()},
                                           {{"betas", std::pair(0.9, 2.0)}}),
                       "Invalid beta parameter at index 1: 2");
    EXPECT_EMBER_ERROR(opt.add_param_group({ones({1}).requires_grad_()}, {{"betas", 0.9}}),
                       "option \"betas\" should be a pair");
}

}  // namespace ember::test
