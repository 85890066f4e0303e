// optim::lr_scheduler against PyTorch (tools/golden/optim_lr_scheduler.py): every scheduler's lr
// (and momentum) sequence over 30+ steps, several schedulers on one optimizer, SequentialLR,
// ChainedScheduler, ReduceLROnPlateau, resuming mid-way from saved state dicts, and PyTorch's
// warnings and errors.
#include <cmath>
#include <filesystem>

#include "support/golden.h"

namespace ember::test {
namespace {

namespace S = optim::lr_scheduler;

// The named callables of the golden script.
S::LrLambda named_lambda(const std::string& name) {
    if (name == "pow0.95") return [](int64_t e) { return std::pow(0.95, static_cast<double>(e)); };
    if (name == "inv") return [](int64_t e) { return 1.0 / static_cast<double>(e + 1); };
    if (name == "const0.9") return [](int64_t) { return 0.9; };
    if (name == "every3") return [](int64_t e) { return e % 3 == 0 ? 0.5 : 1.0; };
    ADD_FAILURE() << "unknown lambda " << name;
    return nullptr;
}

std::function<double(double)> named_scale_fn(const std::string& name) {
    EXPECT_EQ(name, "harmonic");
    return [](double x) { return 1.0 / (1.0 + 0.1 * x); };
}

S::PerGroup per_group(const json& j) {
    if (j.is_array()) return S::PerGroup(j.get<std::vector<double>>());
    return S::PerGroup(j.get<double>());
}

// An optimizer over one-element parameters and the schedulers of one golden case.
struct Harness {
    std::unique_ptr<optim::Optimizer> optimizer;
    std::vector<std::unique_ptr<S::LRScheduler>> owned;  // children before their composite
    std::vector<S::LRScheduler*> top;                    // stepped in order
    std::unique_ptr<S::ReduceLROnPlateau> plateau;
};

std::unique_ptr<optim::Optimizer> make_optimizer(const json& c) {
    std::unique_ptr<optim::Optimizer> opt;
    const json& groups = c.at("groups");
    if (c.value("optimizer", "SGD") == "Adam") {
        std::vector<optim::AdamGroup> g;
        for (const json& group : groups)
            g.push_back(
                {.params = {zeros({1}).requires_grad_()}, .lr = group.at("lr").get<double>()});
        opt = std::make_unique<optim::Adam>(std::move(g), optim::AdamOptions{.lr = 0.1});
    } else {
        std::vector<optim::SGDGroup> g;
        for (const json& group : groups)
            g.push_back(
                {.params = {zeros({1}).requires_grad_()}, .lr = group.at("lr").get<double>()});
        opt = std::make_unique<optim::SGD>(std::move(g),
                                           optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
    }
    for (size_t i = 0; i < groups.size(); ++i)
        if (groups[i].contains("initial_lr"))
            opt->param_groups()[i].options.set("initial_lr", groups[i]["initial_lr"].get<double>());
    return opt;
}

S::LRScheduler& make_scheduler(Harness& s, const json& spec) {
    optim::Optimizer& opt = *s.optimizer;
    const std::string type = spec.at("type");
    const json a = spec.value("args", json::object());
    const int64_t last_epoch = a.value("last_epoch", int64_t{-1});
    std::unique_ptr<S::LRScheduler> made;
    auto lambdas = [&]() {
        std::vector<S::LrLambda> fs;
        if (a.at("lr_lambda").is_array())
            for (const json& n : a.at("lr_lambda")) fs.push_back(named_lambda(n));
        return fs;
    };
    if (type == "SequentialLR" || type == "ChainedScheduler") {
        std::vector<std::reference_wrapper<S::LRScheduler>> children;
        for (const json& child : spec.at("schedulers"))
            children.push_back(make_scheduler(s, child));
        if (type == "ChainedScheduler") {
            made = std::make_unique<S::ChainedScheduler>(children);
        } else {
            made = std::make_unique<S::SequentialLR>(
                opt, children, spec.at("milestones").get<std::vector<int64_t>>());
        }
    } else if (type == "StepLR") {
        const int64_t step_size = a.at("step_size");
        made = a.contains("gamma") ? std::make_unique<S::StepLR>(
                                         opt, step_size, a["gamma"].get<double>(), last_epoch)
                                   : std::make_unique<S::StepLR>(opt, step_size);
    } else if (type == "MultiStepLR") {
        auto milestones = a.at("milestones").get<std::vector<int64_t>>();
        made = a.contains("gamma")
                   ? std::make_unique<S::MultiStepLR>(opt, milestones, a["gamma"].get<double>())
                   : std::make_unique<S::MultiStepLR>(opt, milestones);
    } else if (type == "LambdaLR") {
        if (a.at("lr_lambda").is_array())
            made = std::make_unique<S::LambdaLR>(opt, lambdas());
        else
            made = std::make_unique<S::LambdaLR>(opt, named_lambda(a["lr_lambda"]));
    } else if (type == "MultiplicativeLR") {
        if (a.at("lr_lambda").is_array())
            made = std::make_unique<S::MultiplicativeLR>(opt, lambdas());
        else
            made = std::make_unique<S::MultiplicativeLR>(opt, named_lambda(a["lr_lambda"]));
    } else if (type == "ExponentialLR") {
        made = std::make_unique<S::ExponentialLR>(opt, a.at("gamma").get<double>());
    } else if (type == "ConstantLR") {
        made = a.empty() ? std::make_unique<S::ConstantLR>(opt)
                         : std::make_unique<S::ConstantLR>(opt, a.at("factor").get<double>(),
                                                           a.at("total_iters").get<int64_t>());
    } else if (type == "LinearLR") {
        S::LinearLROptions o;
        if (a.contains("start_factor")) o.start_factor = a["start_factor"];
        if (a.contains("end_factor")) o.end_factor = a["end_factor"];
        if (a.contains("total_iters")) o.total_iters = a["total_iters"];
        made = std::make_unique<S::LinearLR>(opt, o);
    } else if (type == "PolynomialLR") {
        made = a.empty()
                   ? std::make_unique<S::PolynomialLR>(opt)
                   : std::make_unique<S::PolynomialLR>(opt, a.at("total_iters").get<int64_t>(),
                                                       a.at("power").get<double>());
    } else if (type == "CosineAnnealingLR") {
        made = std::make_unique<S::CosineAnnealingLR>(opt, a.at("T_max").get<int64_t>(),
                                                      a.value("eta_min", 0.0), last_epoch);
    } else if (type == "CosineAnnealingWarmRestarts") {
        S::CosineAnnealingWarmRestartsOptions o{.T_0 = a.at("T_0")};
        if (a.contains("T_mult")) o.T_mult = a["T_mult"];
        if (a.contains("eta_min")) o.eta_min = a["eta_min"];
        made = std::make_unique<S::CosineAnnealingWarmRestarts>(opt, o);
    } else if (type == "CyclicLR") {
        S::CyclicLROptions o{.base_lr = per_group(a.at("base_lr")),
                             .max_lr = per_group(a.at("max_lr"))};
        if (a.contains("step_size_up")) o.step_size_up = a["step_size_up"];
        if (a.contains("step_size_down")) o.step_size_down = a["step_size_down"].get<int64_t>();
        if (a.contains("mode")) o.mode = a["mode"];
        if (a.contains("gamma")) o.gamma = a["gamma"];
        if (a.contains("scale_fn")) o.scale_fn = named_scale_fn(a["scale_fn"]);
        if (a.contains("scale_mode")) o.scale_mode = a["scale_mode"];
        if (a.contains("cycle_momentum")) o.cycle_momentum = a["cycle_momentum"];
        if (a.contains("base_momentum")) o.base_momentum = per_group(a["base_momentum"]);
        if (a.contains("max_momentum")) o.max_momentum = per_group(a["max_momentum"]);
        made = std::make_unique<S::CyclicLR>(opt, o);
    } else if (type == "OneCycleLR") {
        S::OneCycleLROptions o{.max_lr = per_group(a.at("max_lr"))};
        if (a.contains("total_steps")) o.total_steps = a["total_steps"].get<int64_t>();
        if (a.contains("epochs")) o.epochs = a["epochs"].get<int64_t>();
        if (a.contains("steps_per_epoch")) o.steps_per_epoch = a["steps_per_epoch"].get<int64_t>();
        if (a.contains("pct_start")) o.pct_start = a["pct_start"];
        if (a.contains("anneal_strategy")) o.anneal_strategy = a["anneal_strategy"];
        if (a.contains("cycle_momentum")) o.cycle_momentum = a["cycle_momentum"];
        if (a.contains("base_momentum")) o.base_momentum = per_group(a["base_momentum"]);
        if (a.contains("max_momentum")) o.max_momentum = per_group(a["max_momentum"]);
        if (a.contains("div_factor")) o.div_factor = a["div_factor"];
        if (a.contains("final_div_factor")) o.final_div_factor = a["final_div_factor"];
        if (a.contains("three_phase")) o.three_phase = a["three_phase"];
        made = std::make_unique<S::OneCycleLR>(opt, o);
    } else {
        ADD_FAILURE() << "unknown scheduler " << type;
        throw std::runtime_error("unknown scheduler " + type);
    }
    s.owned.push_back(std::move(made));
    return *s.owned.back();
}

Harness make_harness(const json& c) {
    Harness s;
    s.optimizer = make_optimizer(c);
    for (const json& spec : c.at("schedulers")) {
        if (spec.at("type") == "ReduceLROnPlateau") {
            const json a = spec.value("args", json::object());
            S::ReduceLROnPlateauOptions o;
            if (a.contains("mode")) o.mode = a["mode"];
            if (a.contains("factor")) o.factor = a["factor"];
            if (a.contains("patience")) o.patience = a["patience"];
            if (a.contains("threshold")) o.threshold = a["threshold"];
            if (a.contains("threshold_mode")) o.threshold_mode = a["threshold_mode"];
            if (a.contains("cooldown")) o.cooldown = a["cooldown"];
            if (a.contains("min_lr")) o.min_lr = per_group(a["min_lr"]);
            if (a.contains("eps")) o.eps = a["eps"];
            s.plateau = std::make_unique<S::ReduceLROnPlateau>(*s.optimizer, o);
        } else {
            s.top.push_back(&make_scheduler(s, spec));
        }
    }
    return s;
}

// Per group: the lrs (and momentum or beta1) recorded after construction and each action.
struct Trace {
    std::vector<std::vector<double>> lr, momentum;
};

void record(const Harness& s, Trace& t) {
    const auto& groups = s.optimizer->param_groups();
    t.lr.resize(groups.size());
    t.momentum.resize(groups.size());
    for (size_t i = 0; i < groups.size(); ++i) {
        t.lr[i].push_back(groups[i].lr());
        const optim::Options& o = groups[i].options;
        t.momentum[i].push_back(o.contains("momentum") ? o.number("momentum")
                                                       : o.pair("betas").first);
    }
}

// Runs actions [begin, end) of a case: optimizer.step(), then every scheduler's step.
void run_actions(const json& c, Harness& s, size_t begin, size_t end, Trace& t) {
    const bool plateau = c.contains("metrics");
    const json& actions = plateau ? c.at("metrics") : c.at("actions");
    for (size_t k = begin; k < end; ++k) {
        s.optimizer->step();
        const json& a = actions[k];
        if (plateau) s.plateau->step(a.get<double>());
        for (S::LRScheduler* sched : s.top) {
            if (a.is_null()) {
                sched->step();
            } else if (auto* warm = dynamic_cast<S::CosineAnnealingWarmRestarts*>(sched)) {
                warm->step(a.get<double>());
            } else {
                WarningCapture deprecated;  // step(epoch) warns each time
                sched->step(a.get<int64_t>());
            }
        }
        record(s, t);
        std::vector<double> lrs;  // get_last_lr() of the last one stepped: the groups' lrs
        for (const optim::ParamGroup& g : s.optimizer->param_groups()) lrs.push_back(g.lr());
        if (!s.top.empty()) {
            EXPECT_EQ(s.top.back()->get_last_lr(), lrs);
        }
        if (s.plateau) {
            EXPECT_EQ(s.plateau->get_last_lr(), lrs);
        }
    }
}

size_t num_actions(const json& c) {
    return c.contains("metrics") ? c.at("metrics").size() : c.at("actions").size();
}

// Golden values from index `from` on, within 1e-12 relative (libm's last bit, fused multiply-add).
void expect_sequence(const std::string& what, const std::vector<double>& actual,
                     const json& expected, size_t from = 0) {
    ASSERT_EQ(actual.size() + from, expected.size()) << what;
    for (size_t k = 0; k < actual.size(); ++k) {
        const double e = expected[from + k].get<double>();
        EXPECT_NEAR(actual[k], e, 1e-12 * std::abs(e) + 1e-18) << what << " at index " << from + k;
    }
}

void expect_trace(const std::string& name, const Trace& t, const json& c, size_t from = 0) {
    for (size_t i = 0; i < t.lr.size(); ++i) {
        expect_sequence(name + " lr of group " + std::to_string(i), t.lr[i], c.at("lr")[i], from);
        if (c.contains("momentum"))
            expect_sequence(name + " momentum of group " + std::to_string(i), t.momentum[i],
                            c.at("momentum")[i], from);
    }
}

TEST(LRScheduler, SequencesMatchPyTorch) {
    const json fx = load_golden("optim_lr_scheduler");
    for (const json& c : fx.at("cases")) {
        const std::string name = c.at("name");
        SCOPED_TRACE(name);
        Harness s = make_harness(c);
        Trace t;
        record(s, t);
        run_actions(c, s, 0, num_actions(c), t);
        expect_trace(name, t, c);
    }
}

// Half the steps, save the optimizer's and the schedulers' state to files, build everything
// afresh, load, and finish: the rest of the sequence is PyTorch's.
TEST(LRScheduler, ResumesFromSavedStateDict) {
    const json fx = load_golden("optim_lr_scheduler");
    const auto dir = std::filesystem::temp_directory_path() / "ember_lr_scheduler_resume";
    std::filesystem::create_directories(dir);
    for (const json& c : fx.at("cases")) {
        const std::string name = c.at("name");
        SCOPED_TRACE(name);
        const size_t half = num_actions(c) / 2;
        Harness first = make_harness(c);
        Trace ignored;
        run_actions(c, first, 0, half, ignored);
        const std::string opt_path = (dir / "optimizer.safetensors").string();
        save(first.optimizer->state_dict(), opt_path);
        std::vector<std::string> paths;
        for (size_t i = 0; i < first.top.size(); ++i) {
            paths.push_back((dir / ("scheduler" + std::to_string(i) + ".safetensors")).string());
            save(first.top[i]->state_dict(), paths.back());
        }
        if (first.plateau) {
            paths.push_back((dir / "plateau.safetensors").string());
            save(first.plateau->state_dict(), paths.back());
        }

        Harness resumed = make_harness(c);
        resumed.optimizer->load_state_dict(optim::StateDict::load(opt_path));
        for (size_t i = 0; i < resumed.top.size(); ++i)
            resumed.top[i]->load_state_dict(load(paths[i]));
        if (resumed.plateau) resumed.plateau->load_state_dict(load(paths.back()));
        Trace t;
        run_actions(c, resumed, half, num_actions(c), t);
        expect_trace(name, t, c, half + 1);
    }
    std::filesystem::remove_all(dir);
}

TEST(LRScheduler, ConstructionPerformsTheInitialStep) {
    optim::SGD opt({zeros({1}).requires_grad_()}, {.lr = 0.1});
    S::StepLR s(opt, 3, 0.5);
    EXPECT_EQ(s.last_epoch(), 0);
    EXPECT_EQ(s.step_count(), 1);
    EXPECT_EQ(s.get_last_lr(), std::vector<double>{0.1});
    EXPECT_EQ(s.base_lrs(), std::vector<double>{0.1});
    EXPECT_EQ(opt.param_groups()[0].options.number("initial_lr"), 0.1);
    EXPECT_EQ(s.name(), "StepLR");
    EXPECT_EQ(&s.optimizer(), &opt);
}

TEST(LRScheduler, WarnsLikePyTorch) {
    const json fx = load_golden("optim_lr_scheduler");
    const json& expected = fx.at("warnings");
    {
        optim::SGD opt({zeros({1}).requires_grad_()}, {.lr = 0.1});
        S::StepLR s(opt, 3);
        WarningCapture w;
        s.step();  // before any optimizer.step()
        s.step();
        EXPECT_EQ(w.messages(),
                  expected.at("step_before_optimizer").get<std::vector<std::string>>());
    }
    {
        optim::SGD opt({zeros({1}).requires_grad_()}, {.lr = 0.1});
        S::StepLR s(opt, 3);
        WarningCapture w;
        opt.step();
        s.step();
        s.step(5);
        EXPECT_EQ(w.messages(),
                  expected.at("optimizer_first_then_epoch").get<std::vector<std::string>>());
        EXPECT_NEAR(opt.param_groups()[0].lr(), 0.1 * 0.1, 1e-15);  // closed form at epoch 5
    }
    {
        // SequentialLR's hand-over at a milestone uses the closed form without warning.
        optim::SGD opt({zeros({1}).requires_grad_()}, {.lr = 0.1});
        S::ConstantLR warmup(opt, 0.5, 2);
        S::ExponentialLR decay(opt, 0.9);
        S::SequentialLR s(opt, {warmup, decay}, {2});
        WarningCapture w;
        for (int i = 0; i < 4; ++i) {
            opt.step();
            s.step();
        }
        EXPECT_TRUE(w.messages().empty());
    }
}

optim::SGD sgd(size_t groups = 1) {
    std::vector<optim::SGDGroup> g;
    for (size_t i = 0; i < groups; ++i) g.push_back({.params = {zeros({1}).requires_grad_()}});
    return optim::SGD(std::move(g), {.lr = 0.1, .momentum = 0.9});
}

TEST(LRScheduler, ErrorsMatchPyTorch) {
    const json fx = load_golden("optim_lr_scheduler");
    const std::map<std::string, std::pair<const char*, std::function<void()>>> cases = {
        {"resume_without_initial_lr",
         {"StepLR",
          [] {
              auto o = sgd();
              S::StepLR(o, 3, 0.1, 4);
          }}},
        {"LambdaLR_count",
         {"LambdaLR",
          [] {
              auto o = sgd(2);
              S::LambdaLR(o, std::vector{named_lambda("inv")});
          }}},
        {"MultiplicativeLR_count",
         {"MultiplicativeLR",
          [] {
              auto o = sgd(1);
              S::MultiplicativeLR(o, std::vector<S::LrLambda>(3, named_lambda("inv")));
          }}},
        {"ConstantLR_factor",
         {"ConstantLR",
          [] {
              auto o = sgd();
              S::ConstantLR(o, 1.5);
          }}},
        {"LinearLR_start_factor",
         {"LinearLR",
          [] {
              auto o = sgd();
              S::LinearLR(o, {.start_factor = 1.5});
          }}},
        {"LinearLR_end_factor",
         {"LinearLR",
          [] {
              auto o = sgd();
              S::LinearLR(o, {.end_factor = -0.1});
          }}},
        {"CosineAnnealingWarmRestarts_T_0",
         {"CosineAnnealingWarmRestarts",
          [] {
              auto o = sgd();
              S::CosineAnnealingWarmRestarts(o, {.T_0 = 0});
          }}},
        {"CosineAnnealingWarmRestarts_T_mult",
         {"CosineAnnealingWarmRestarts",
          [] {
              auto o = sgd();
              S::CosineAnnealingWarmRestarts(o, {.T_0 = 2, .T_mult = 0});
          }}},
        {"CosineAnnealingWarmRestarts_negative_epoch",
         {"CosineAnnealingWarmRestarts",
          [] {
              auto o = sgd();
              S::CosineAnnealingWarmRestarts(o, {.T_0 = 3}).step(-1);
          }}},
        {"CyclicLR_mode",
         {"CyclicLR",
          [] {
              auto o = sgd();
              S::CyclicLR(o, {.base_lr = 0.01, .max_lr = 0.1, .mode = "foo"});
          }}},
        {"CyclicLR_base_lr_count",
         {"CyclicLR",
          [] {
              auto o = sgd(2);
              S::CyclicLR(o, {.base_lr = {0.01}, .max_lr = 0.1});
          }}},
        {"CyclicLR_no_momentum",
         {"CyclicLR",
          [] {
              optim::Adam o({zeros({1}).requires_grad_()}, {.lr = 0.1});
              S::CyclicLR(o, {.base_lr = 0.01, .max_lr = 0.1});
          }}},
        {"OneCycleLR_no_steps",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR(o, {.max_lr = 0.1});
          }}},
        {"OneCycleLR_total_steps",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR(o, {.max_lr = 0.1, .total_steps = 0});
          }}},
        {"OneCycleLR_epochs",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR(o, {.max_lr = 0.1, .epochs = 0, .steps_per_epoch = 3});
          }}},
        {"OneCycleLR_steps_per_epoch",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR(o, {.max_lr = 0.1, .epochs = 2, .steps_per_epoch = -1});
          }}},
        {"OneCycleLR_pct_start",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR(o, {.max_lr = 0.1, .total_steps = 10, .pct_start = 1.5});
          }}},
        {"OneCycleLR_anneal_strategy",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR(o, {.max_lr = 0.1, .total_steps = 10, .anneal_strategy = "x"});
          }}},
        {"OneCycleLR_max_lr_count",
         {"OneCycleLR",
          [] {
              auto o = sgd(2);
              S::OneCycleLR(o, {.max_lr = {0.1, 0.2, 0.3}, .total_steps = 10});
          }}},
        {"OneCycleLR_no_momentum",
         {"OneCycleLR",
          [] {
              optim::Adagrad o({zeros({1}).requires_grad_()}, {.lr = 0.1});
              S::OneCycleLR(o, {.max_lr = 0.1, .total_steps = 10});
          }}},
        {"OneCycleLR_too_many_steps",
         {"OneCycleLR",
          [] {
              auto o = sgd();
              S::OneCycleLR s(o, {.max_lr = 1.0, .total_steps = 10});
              for (int i = 0; i < 11; ++i) {
                  o.step();
                  s.step();
              }
          }}},
        {"ReduceLROnPlateau_factor",
         {"ReduceLROnPlateau",
          [] {
              auto o = sgd();
              S::ReduceLROnPlateau(o, {.factor = 1.0});
          }}},
        {"ReduceLROnPlateau_mode",
         {"ReduceLROnPlateau",
          [] {
              auto o = sgd();
              S::ReduceLROnPlateau(o, {.mode = "foo"});
          }}},
        {"ReduceLROnPlateau_threshold_mode",
         {"ReduceLROnPlateau",
          [] {
              auto o = sgd();
              S::ReduceLROnPlateau(o, {.threshold_mode = "foo"});
          }}},
        {"ReduceLROnPlateau_min_lr_count",
         {"ReduceLROnPlateau",
          [] {
              auto o = sgd(1);
              S::ReduceLROnPlateau(o, {.min_lr = {0.1, 0.2}});
          }}},
        {"SequentialLR_optimizer",
         {"SequentialLR",
          [] {
              auto a = sgd();
              auto b = sgd();
              S::ExponentialLR sa(a, 0.9), sb(b, 0.9);
              S::SequentialLR(a, {sa, sb}, {2});
          }}},
        {"SequentialLR_milestones",
         {"SequentialLR",
          [] {
              auto a = sgd();
              S::ExponentialLR s1(a, 0.9), s2(a, 0.9);
              S::SequentialLR(a, {s1, s2}, {2, 3});
          }}},
        {"ChainedScheduler_optimizer",
         {"ChainedScheduler",
          [] {
              auto a = sgd();
              auto b = sgd();
              S::ExponentialLR sa(a, 0.9), sb(b, 0.9);
              S::ChainedScheduler({sa, sb});
          }}},
    };
    const json& errors = fx.at("errors");
    EXPECT_EQ(errors.size(), cases.size());
    for (const auto& [name, expected] : errors.items()) {
        SCOPED_TRACE(name);
        auto it = cases.find(name);
        ASSERT_NE(it, cases.end());
        const std::string message = expected.get<std::string>();
        const std::string scheduler = std::string(it->second.first) + ": ";
        EXPECT_EMBER_ERROR(it->second.second(), scheduler.c_str(), message.c_str());
    }
}

TEST(LRScheduler, RejectedArgumentsLeaveTheOptimizerUnchanged) {
    auto o = sgd();
    EXPECT_THROW(S::OneCycleLR(o, {.max_lr = 0.1, .total_steps = 0}), Error);
    EXPECT_THROW(S::CyclicLR(o, {.base_lr = 0.01, .max_lr = 0.1, .mode = "foo"}), Error);
    EXPECT_THROW(S::ConstantLR(o, 2.0), Error);
    const optim::Options& g = o.param_groups()[0].options;
    EXPECT_FALSE(g.contains("initial_lr"));
    EXPECT_FALSE(g.contains("max_lr"));
    EXPECT_EQ(g.number("lr"), 0.1);
    EXPECT_EQ(g.number("momentum"), 0.9);
}

TEST(LRScheduler, ErrorsBeyondPyTorch) {
    // What Python reports as ZeroDivisionError / IndexError, or later, ember reports up front.
    auto o = sgd();
    EXPECT_EMBER_ERROR(S::StepLR(o, 0), "StepLR: step_size should be a positive integer, got 0");
    EXPECT_EMBER_ERROR(S::CosineAnnealingLR(o, 0), "CosineAnnealingLR: T_max should be a positive");
    EXPECT_EMBER_ERROR(S::LinearLR(o, {.start_factor = 0}),
                       "LinearLR: Starting multiplicative factor "
                       "expected to be greater than 0");
    EXPECT_EMBER_ERROR(S::ChainedScheduler({}),
                       "ChainedScheduler: expected at least one scheduler");
    EXPECT_EMBER_ERROR(S::CyclicLR(o, {.max_lr = 0.1}),
                       "CyclicLR: missing required argument base_lr");
    EXPECT_EMBER_ERROR(S::OneCycleLR(o, {.total_steps = 10}),
                       "OneCycleLR: missing required argument max_lr");
    EXPECT_EMBER_ERROR(S::LambdaLR(o, S::LrLambda()), "LambdaLR: lr_lambda 0 is empty");
    {
        auto p = sgd();
        S::ConstantLR s(p, 0.0, 2);
        p.step();
        s.step();
        EXPECT_EMBER_ERROR(s.step(), "ConstantLR: can't undo a factor of 0");
    }
    {
        auto p = sgd();
        S::ExponentialLR a(p, 0.9);
        S::SequentialLR seq(p, {a}, {});
        S::ChainedScheduler chained({a});
        WarningCapture w;
        EXPECT_EMBER_ERROR(seq.step(3), "SequentialLR: step(epoch) is not supported");
        EXPECT_EMBER_ERROR(chained.step(3), "ChainedScheduler: step(epoch) is not supported");
    }
    {
        // OneCycleLR resumed on an optimizer that never had one.
        auto p = sgd();
        p.param_groups()[0].options.set("initial_lr", 0.01);
        EXPECT_EMBER_ERROR(
            S::OneCycleLR(p, {.max_lr = 0.1, .total_steps = 10, .last_epoch = 3}),
            "OneCycleLR: param 'max_lr' is not specified in param_groups[0] when resuming");
    }
    {
        auto p = sgd();
        S::ReduceLROnPlateau plateau(p);
        EXPECT_EMBER_ERROR(plateau.step(ones({2})),
                           "ReduceLROnPlateau.step: the metric should be a single number", "[2]");
        plateau.step(full({}, 0.5));
        EXPECT_EQ(plateau.best(), 0.5);
    }
}

TEST(LRScheduler, StateDictHoldsNamedFloat64Tensors) {
    auto o = sgd(2);
    S::StepLR s(o, 3, 0.5);
    o.step();
    s.step();
    const OrderedDict<Tensor> sd = s.state_dict();
    EXPECT_EQ(sd.keys(), (std::vector<std::string>{"step_size", "gamma", "base_lrs", "last_epoch",
                                                   "_step_count", "_last_lr"}));
    for (const auto& [key, t] : sd) EXPECT_EQ(t.dtype(), DType::Float64) << key;
    EXPECT_EQ(sd.at("last_epoch").item<double>(), 1);
    EXPECT_EQ(sd.at("_step_count").item<double>(), 2);
    EXPECT_EQ(sd.at("base_lrs").sizes(), (std::vector<int64_t>{2}));

    auto p = sgd();
    S::ExponentialLR a(p, 0.9);
    S::CosineAnnealingLR b(p, 10);
    S::SequentialLR seq(p, {a, b}, {4});
    const OrderedDict<Tensor> nested = seq.state_dict();
    EXPECT_TRUE(nested.contains("_milestones"));
    EXPECT_TRUE(nested.contains("_schedulers.0.gamma"));
    EXPECT_TRUE(nested.contains("_schedulers.1.T_max"));
}

TEST(LRScheduler, LoadStateDictErrorsChangeNothing) {
    auto o = sgd(2);
    S::StepLR s(o, 3, 0.5);
    o.step();
    s.step();
    const OrderedDict<Tensor> good = s.state_dict();

    OrderedDict<Tensor> missing;
    for (const auto& [key, t] : good)
        if (key != "gamma") missing.insert(key, t);
    EXPECT_EMBER_ERROR(s.load_state_dict(missing),
                       "StepLR.load_state_dict: missing entry \"gamma\"");

    // _last_lr is read last: last_epoch has been read by then, and must be restored.
    OrderedDict<Tensor> misshaped = good;
    misshaped.insert("last_epoch", full({}, 7.0, {.dtype = DType::Float64}));
    misshaped.insert("_last_lr", zeros({3}, {.dtype = DType::Float64}));
    EXPECT_EMBER_ERROR(s.load_state_dict(misshaped),
                       "StepLR.load_state_dict: entry \"_last_lr\" should hold 2 values", "[3]");
    EXPECT_EQ(s.last_epoch(), 1);  // nothing changed
    EXPECT_EQ(s.base_lrs(), (std::vector<double>{0.1, 0.1}));
    EXPECT_EQ(s.get_last_lr(), (std::vector<double>{0.1, 0.1}));

    OrderedDict<Tensor> extra = good;
    extra.insert("verbose", zeros({}, {.dtype = DType::Float64}));
    EXPECT_EMBER_ERROR(s.load_state_dict(extra),
                       "StepLR.load_state_dict: unexpected entry \"verbose\"");

    OrderedDict<Tensor> not_integer = good;
    not_integer.insert("step_size", full({}, 2.5, {.dtype = DType::Float64}));
    EXPECT_EMBER_ERROR(s.load_state_dict(not_integer),
                       "entry \"step_size\" should be an integer, got 2.5");

    // Another scheduler's state.
    S::ExponentialLR e(o, 0.9);
    EXPECT_EMBER_ERROR(e.load_state_dict(good),
                       "ExponentialLR.load_state_dict: unexpected entry \"step_size\"");

    auto p = sgd();
    S::ReduceLROnPlateau plateau(p, {.patience = 3});
    OrderedDict<Tensor> plateau_sd = plateau.state_dict();
    plateau_sd.insert("patience", zeros({2}, {.dtype = DType::Float64}));
    EXPECT_EMBER_ERROR(plateau.load_state_dict(plateau_sd),
                       "ReduceLROnPlateau.load_state_dict: entry \"patience\"", "single number");
}

TEST(LRScheduler, CallablesWithCapturesAndPerGroupLambdas) {
    auto o = sgd(2);
    double base = 0.5;
    S::LambdaLR s(o, {[base](int64_t e) { return base * static_cast<double>(e + 1); },
                      [](int64_t e) { return 1.0 / static_cast<double>(e + 1); }});
    o.step();
    s.step();
    EXPECT_DOUBLE_EQ(s.get_last_lr()[0], 0.1 * 1.0);
    EXPECT_DOUBLE_EQ(s.get_last_lr()[1], 0.1 * 0.5);
}

}  // namespace
}  // namespace ember::test
