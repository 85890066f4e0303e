// Optimizers fed the sparse gradients of nn::Embedding(sparse=true), against PyTorch
// (tools/golden/optim_sparse.py): SparseAdam, SGD, Adagrad; clip_grad_norm_ over sparse grads.
#include "optim/trajectory.h"

namespace ember::test {
namespace {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>;

void expect_sparse_trajectory(const json& fx, const json& c, DType dtype,
                              const MakeOptimizer& make) {
    const std::string name = c.at("name").get<std::string>();
    nn::Embedding emb = nn::Embedding::from_pretrained(
        tensor_from_json(fx.at("weight")).to(dtype), /*freeze=*/false, {.sparse = true});
    std::unique_ptr<optim::Optimizer> opt = make(emb.parameters());
    const json& batches = fx.at("batches");
    for (size_t k = 0; k < batches.size(); ++k) {
        opt->zero_grad();
        const Tensor index = tensor(batches[k].get<std::vector<int64_t>>());
        (emb(index) * tensor_from_json(fx.at("coefs")[k]).to(dtype)).sum().backward();
        ASSERT_TRUE(emb.weight.grad().is_sparse());
        opt->step();
        EXPECT_TRUE(params_close(emb.weight.detach(),
                                 tensor_from_json(c.at("steps")[k]).to(dtype)))
            << name << " after step " << k + 1;
    }
}

const json& find_case(const json& fx, const std::string& optimizer, const std::string& name) {
    for (const json& c : fx.at("cases"))
        if (c.at("optimizer") == optimizer && c.at("name") == name) return c;
    throw std::runtime_error("no case " + optimizer + "/" + name);
}

TEST(SparseGrad, SparseAdamMatchesPyTorch) {
    const json fx = load_golden("optim_sparse");
    expect_sparse_trajectory(fx, find_case(fx, "SparseAdam", "default"), DType::Float32,
                             [](std::vector<Tensor> p) {
                                 return std::make_unique<optim::SparseAdam>(std::move(p),
                                                                            optim::SparseAdamOptions{.lr = 0.1});
                             });
    expect_sparse_trajectory(fx, find_case(fx, "SparseAdam", "betas_eps"), DType::Float32,
                             [](std::vector<Tensor> p) {
                                 return std::make_unique<optim::SparseAdam>(
                                     std::move(p), optim::SparseAdamOptions{
                                                       .lr = 0.05, .betas = {0.5, 0.9}, .eps = 1e-3});
                             });
    expect_sparse_trajectory(fx, find_case(fx, "SparseAdam", "maximize"), DType::Float32,
                             [](std::vector<Tensor> p) {
                                 return std::make_unique<optim::SparseAdam>(
                                     std::move(p), optim::SparseAdamOptions{.lr = 0.1, .maximize = true});
                             });
    expect_sparse_trajectory(fx, fx.at("float64"), DType::Float64, [](std::vector<Tensor> p) {
        return std::make_unique<optim::SparseAdam>(std::move(p), optim::SparseAdamOptions{.lr = 0.1});
    });
}

TEST(SparseGrad, SparseAdamStateAndErrors) {
    const json fx = load_golden("optim_sparse");
    nn::Embedding emb(4, 2, {.sparse = true});
    optim::SparseAdam opt(emb.parameters(), {.lr = 0.1});
    emb(tensor(std::vector<int64_t>{1, 1})).sum().backward();
    opt.step();
    const optim::ParamState& st = opt.state(emb.weight);
    EXPECT_EQ(st.step, 1);
    EXPECT_EQ(st.tensors.keys(), (std::vector<std::string>{"exp_avg", "exp_avg_sq"}));
    // Rows 0, 2, 3 had no gradient: their moments stay zero.
    EXPECT_TENSOR_EQ(st.tensors.at("exp_avg").index_select(0, tensor(std::vector<int64_t>{0, 2, 3})),
                     zeros({3, 2}));
    Tensor dense = ones({2}).requires_grad_();
    optim::SparseAdam dense_opt({dense});
    dense.mutable_grad() = ones({2});
    EXPECT_EMBER_ERROR(dense_opt.step(),
                       "SparseAdam does not support dense gradients, please consider Adam instead");
    EXPECT_EMBER_ERROR(optim::SparseAdam({dense}, {.lr = -1}), "SparseAdam: Invalid learning rate: -1");
    EXPECT_EMBER_ERROR(optim::SparseAdam({dense}, {.betas = {1.0, 0.5}}),
                       "Invalid beta parameter at index 0: 1");
    EXPECT_EMBER_ERROR(optim::SparseAdam({dense}, {.betas = {0.5, 1.0}}),
                       "Invalid beta parameter at index 1: 1");
    EXPECT_EMBER_ERROR(optim::SparseAdam({dense}, {.eps = -1}), "Invalid epsilon value: -1");
}

TEST(SparseGrad, SGDMatchesPyTorch) {
    const json fx = load_golden("optim_sparse");
    for (const char* name : {"plain", "maximize", "momentum"}) {
        const json& c = find_case(fx, "SGD", name);
        const json& kw = c.at("kwargs");
        expect_sparse_trajectory(fx, c, DType::Float32, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::SGD>(
                std::move(p), optim::SGDOptions{.lr = kw.at("lr").get<double>(),
                                                .momentum = kw.value("momentum", 0.0),
                                                .maximize = kw.value("maximize", false)});
        });
    }
}

TEST(SparseGrad, AdagradMatchesPyTorch) {
    const json fx = load_golden("optim_sparse");
    for (const char* name : {"default", "options", "maximize"}) {
        const json& c = find_case(fx, "Adagrad", name);
        const json& kw = c.at("kwargs");
        expect_sparse_trajectory(fx, c, DType::Float32, [&](std::vector<Tensor> p) {
            return std::make_unique<optim::Adagrad>(
                std::move(p),
                optim::AdagradOptions{
                    .lr = kw.at("lr").get<double>(),
                    .lr_decay = kw.value("lr_decay", 0.0),
                    .initial_accumulator_value = kw.value("initial_accumulator_value", 0.0),
                    .eps = kw.value("eps", 1e-10),
                    .maximize = kw.value("maximize", false)});
        });
    }
    nn::Embedding emb(4, 2, {.sparse = true});
    emb(tensor(std::vector<int64_t>{1})).sum().backward();
    optim::Adagrad decay(emb.parameters(), {.weight_decay = 0.1});
    EXPECT_EMBER_ERROR(decay.step(), "weight_decay option is not compatible with sparse gradients");
    EXPECT_EQ(decay.state(emb.weight).step, 0);
}

TEST(SparseGrad, DenseOptimizersRejectSparseGradients) {
    nn::Embedding emb(4, 2, {.sparse = true});
    emb(tensor(std::vector<int64_t>{1, 3})).sum().backward();
    optim::Adam adam(emb.parameters());
    EXPECT_EMBER_ERROR(adam.step(), "Adam does not support sparse gradients, please consider "
                       "SparseAdam instead");
    optim::RMSprop rmsprop(emb.parameters());
    EXPECT_EMBER_ERROR(rmsprop.step(), "RMSprop does not support sparse gradients");
}

TEST(SparseGrad, ClipGradNormCountsTheCoalescedValues) {
    const json fx = load_golden("optim_sparse");
    nn::Embedding emb = nn::Embedding::from_pretrained(tensor_from_json(fx.at("weight")), false,
                                                       {.sparse = true});
    Tensor lin = ones({3}).requires_grad_();
    ((emb(tensor(fx.at("batches")[2].get<std::vector<int64_t>>())) *
      tensor_from_json(fx.at("coefs")[2]))
         .sum() +
     (lin * 2).sum())
        .backward();
    const Tensor total = nn::utils::clip_grad_norm_({emb.weight, lin}, 1.5);
    EXPECT_TENSOR_CLOSE(total, tensor_from_json(fx.at("clip").at("total")));
    ASSERT_TRUE(emb.weight.grad().is_sparse());
    EXPECT_TENSOR_CLOSE(emb.weight.grad().to_dense(), tensor_from_json(fx.at("clip").at("emb_grad")));
    EXPECT_TENSOR_CLOSE(lin.grad(), tensor_from_json(fx.at("clip").at("lin_grad")));
}

}  // namespace
}  // namespace ember::test
