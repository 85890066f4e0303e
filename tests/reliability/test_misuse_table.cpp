// Table of API misuses from the reference pages: each must raise ember::Error whose message names
// the op or module and the offending values (shapes, dtypes, devices, indices, option values).
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <system_error>
#include <typeinfo>
#include <vector>

#include <unistd.h>

#include "support/golden.h"

namespace ember::test {
namespace {

namespace F = nn::functional;
namespace S = optim::lr_scheduler;
namespace T = vision::transforms;

// One misuse: `name` is the test's name (area_what), `misuse` must throw ember::Error, and each
// needle must occur in its message (a needle starting with "re:" is a regular expression).
struct Misuse {
    std::string name;
    std::function<void()> misuse;
    std::vector<std::string> needles;
};

std::ostream& operator<<(std::ostream& os, const Misuse& row) { return os << row.name; }

// A leaf that requires grad.
Tensor leaf(IntArrayRef sizes) { return ones(sizes, {.requires_grad = true}); }

// A parameter whose gradient is sparse (a sparse Embedding after one backward).
Tensor param_with_sparse_grad() {
    nn::Embedding emb(4, 2, {.sparse = true});
    emb(tensor({0, 2})).sum().backward();
    return emb.weight;
}

Tensor param_with_dense_grad() {
    Tensor p = leaf({2});
    (p * 2).sum().backward();
    return p;
}

// An empty directory under the system temp dir, unique to this process and row, removed when
// the row ends (declare it before whatever writes into it).
struct ScratchDir {
    explicit ScratchDir(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               ("ember_misuse_" + std::to_string(::getpid()) + "_" + name)) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::filesystem::path path;
};

std::vector<Misuse> tensor_rows() {
    return {
        // Shapes.
        {"ops_matmul_inner_mismatch", [] { zeros({2, 3}).matmul(zeros({4, 5})); },
         {"matmul", "[2, 3]", "[4, 5]"}},
        {"ops_mm_not_matrix", [] { zeros({3}).mm(zeros({3, 2})); }, {"mm", "[3]"}},
        {"ops_bmm_batch_mismatch", [] { zeros({2, 3, 4}).bmm(zeros({3, 4, 5})); },
         {"bmm", "[2, 3, 4]", "[3, 4, 5]"}},
        {"ops_dot_length_mismatch", [] { zeros({3}).dot(zeros({4})); }, {"dot", "3", "4"}},
        {"ops_mv_size_mismatch", [] { zeros({2, 3}).mv(zeros({4})); }, {"mv", "[2, 3]", "[4]"}},
        {"ops_add_broadcast", [] { zeros({2, 3}) + zeros({3, 2}); },
         {"The size of tensor a (3) must match the size of tensor b (2) at non-singleton "
          "dimension 1"}},
        {"ops_inplace_broadcast_output", [] { zeros({3}).add_(zeros({2, 3})); },
         {"output with shape [3] doesn't match the broadcast shape [2, 3]"}},
        {"ops_cat_shape_mismatch", [] { cat({zeros({2, 3}), zeros({2, 4})}, 0); },
         {"cat", "[2, 3]", "[2, 4]"}},
        {"ops_cat_dim_out_of_range", [] { cat({zeros({2}), zeros({2})}, 2); }, {"cat", "2"}},
        {"ops_cat_empty_list", [] { cat({}, 0); }, {"cat"}},
        {"ops_cat_rank_mismatch", [] { cat({zeros({2, 3}), zeros({3})}, 0); },
         {"cat", "[2, 3]", "[3]"}},
        {"ops_stack_size_mismatch", [] { stack({zeros({2}), zeros({3})}); },
         {"stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1"}},
        {"ops_view_wrong_numel", [] { arange(12).view({5}); },
         {"shape '[5]' is invalid for input of size 12"}},
        {"ops_view_two_inferred", [] { arange(12).view({-1, -1}); },
         {"only one dimension can be inferred"}},
        {"ops_reshape_wrong_numel", [] { arange(12).reshape({5, 3}); },
         {"shape '[5, 3]' is invalid for input of size 12"}},
        {"ops_view_incompatible_strides", [] { zeros({3, 4}).t().view({12}); },
         {"view size is not compatible with input tensor's size and stride", "reshape"}},
        {"ops_view_incompatible_strides_slice", [] { zeros({4, 6}).narrow(1, 0, 3).view({12}); },
         {"view size is not compatible", "[4, 3]", "[12]"}},
        {"ops_expand_non_singleton", [] { tensor({1, 2, 3}).expand({2, 4}); },
         {"The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
          "dimension 1",
          "[2, 4]", "[3]"}},
        {"ops_t_on_3d", [] { zeros({2, 3, 4}).t(); },
         {"t() expects a tensor with <= 2 dimensions, but self is 3D"}},
        {"ops_transpose_dim_out_of_range", [] { zeros({2, 3}).transpose(0, 2); },
         {"transpose", "expected to be in range of [-2, 1], but got 2"}},
        {"ops_permute_wrong_count", [] { zeros({2, 3}).permute({0}); },
         {"permute", "tensor has 2 dims, got 1 in [0]"}},
        {"ops_permute_repeated_dim", [] { zeros({2, 3}).permute({0, 0}); },
         {"permute", "dim 0 appears multiple times"}},
        {"ops_sum_dim_out_of_range", [] { zeros({2, 3}).sum({5}); },
         {"sum", "expected to be in range of [-2, 1], but got 5"}},
        {"ops_softmax_dim_out_of_range", [] { zeros({2, 3}).softmax(2); },
         {"softmax", "expected to be in range of [-2, 1], but got 2"}},
        {"ops_unsqueeze_dim_out_of_range", [] { zeros({2}).unsqueeze(3); },
         {"unsqueeze", "expected to be in range of [-2, 1], but got 3"}},
        {"ops_squeeze_dim_out_of_range", [] { zeros({2}).squeeze(2); },
         {"squeeze", "but got 2"}},
        {"ops_flatten_start_after_end", [] { zeros({2, 3, 4}).flatten(2, 1); },
         {"flatten", "start_dim (2) cannot come after end_dim (1)"}},
        {"ops_narrow_out_of_range", [] { zeros({2, 3}).narrow(1, 2, 2); },
         {"narrow", "2", "3"}},
        {"ops_chunk_zero", [] { zeros({4}).chunk(0); }, {"chunk", "0"}},
        {"ops_split_size_zero", [] { zeros({4}).split(0); }, {"split", "0"}},
        {"ops_split_sizes_sum", [] { zeros({4}).split(IntArrayRef{1, 2}); },
         {"split", "[1, 2]", "4"}},
        {"ops_as_strided_out_of_bounds", [] { zeros({4}).as_strided({3}, {2}); },
         {"as_strided", "[3]", "4"}},
        {"ops_repeat_too_few_dims", [] { zeros({2, 3}).repeat({2}); }, {"repeat", "[2, 3]"}},
        {"ops_slice_zero_step", [] { zeros({4}).index({Slice(None, None, 0)}); },
         {"slice", "step must be greater than zero, got 0"}},
        {"ops_flip_dim_out_of_range", [] { zeros({2}).flip({1}); }, {"flip", "but got 1"}},
        {"ops_topk_k_too_large", [] { zeros({3}).topk(4); },
         {"topk", "selected index k out of range (k = 4, dimension 0 of size 3)"}},
        {"ops_eye_negative", [] { eye(-1); }, {"eye", "-1"}},
        {"ops_zeros_negative_size", [] { zeros({2, -1}); }, {"negative", "-1"}},
        {"ops_arange_zero_step", [] { arange(0, 10, 0); }, {"arange", "step"}},
        {"ops_linspace_negative_steps", [] { linspace(0, 1, -1); }, {"linspace", "-1"}},
        {"ops_tensor_ragged_list", [] { tensor({{1, 2}, {3}}); }, {"tensor", "2", "1"}},
        {"ops_item_of_many", [] { zeros({3}).item(); }, {"item", "3"}},
        {"ops_copy_shape", [] { zeros({3}).copy_(zeros({2})); }, {"copy_", "[3]", "[2]"}},
        {"ops_where_shape", [] { where(zeros({3}).gt(0), zeros({2}), zeros({3})); },
         {"where", "3", "2"}},
        {"ops_masked_fill_mask_shape", [] { zeros({3}).masked_fill(zeros({4}).gt(0), 1.0); },
         {"masked_fill", "3", "4"}},

        // Dtypes.
        {"ops_int_pow_negative", [] { tensor({1, 2}).pow(-1); },
         {"pow", "Integers to negative integer powers are not allowed", "[2] int64"}},
        {"ops_inplace_float_into_long", [] { tensor({1, 2}).add_(1.5); },
         {"result type Float can't be cast to the desired output type Long"}},
        {"ops_inplace_long_into_bool", [] { tensor({true, false}).add_(1); },
         {"result type Long can't be cast to the desired output type Bool"}},
        {"ops_int_div_inplace", [] { tensor({1, 2}).div_(2); },
         {"result type Float can't be cast to the desired output type Long"}},
        {"ops_mean_of_integers", [] { arange(3).mean(); },
         {"mean(): could not infer output dtype. Input dtype must be either a floating point or "
          "complex dtype. Got: Long"}},
        {"ops_integer_floor_divide_by_zero", [] { tensor({1, 2}).floor_divide(0); },
         {"floor_divide", "ZeroDivisionError", "[2] int64"}},
        {"ops_integer_remainder_by_zero", [] { tensor({1, 2}).remainder(tensor({1, 0})); },
         {"remainder", "ZeroDivisionError", "[2] int64"}},
        {"ops_mm_dtype_mismatch",
         [] { zeros({2, 2}).mm(zeros({2, 2}, {.dtype = DType::Float64})); },
         {"mm", "Float", "Double"}},
        {"ops_dot_dtype_mismatch", [] { zeros({2}).dot(zeros({2}, {.dtype = DType::Float64})); },
         {"dot", "Float", "Double"}},
        {"ops_masked_fill_float_mask", [] { zeros({2}).masked_fill(zeros({2}), 1.0); },
         {"masked_fill_ only supports boolean masks", "float32"}},
        {"ops_where_float_condition", [] { where(zeros({2}), zeros({2}), zeros({2})); },
         {"where", "boolean", "float32"}},
        {"ops_index_select_float_index", [] { zeros({3}).index_select(0, zeros({2})); },
         {"index_select", "int64", "float32"}},
        {"ops_gather_float_index", [] { zeros({2, 3}).gather(1, zeros({2, 1})); },
         {"gather", "int64", "float32"}},
        {"ops_scatter_float_index", [] { zeros({2, 3}).scatter(1, zeros({2, 1}), 1.0); },
         {"scatter", "int64", "float32"}},
        {"ops_logical_index_float", [] { zeros({3}).index({zeros({3})}); },
         {"index", "tensors used as indices must be long, byte or bool tensors", "float32"}},
        {"ops_sort_of_bool_ok_but_cumsum_dim", [] { zeros({2}).cumsum(3); },
         {"cumsum", "but got 3"}},

        // Out-of-range indices.
        {"ops_index_out_of_range", [] { zeros({2, 3})[5]; },
         {"select", "index 5 out of range for tensor of size [2, 3] at dimension 0"}},
        {"ops_select_out_of_range", [] { zeros({2, 3}).select(1, -4); },
         {"select", "index -4 out of range for tensor of size [2, 3] at dimension 1"}},
        {"ops_index_select_out_of_range", [] { zeros({3}).index_select(0, tensor({0, 3})); },
         {"index_select", "index out of range in self", "index 3", "size 3"}},
        {"ops_gather_out_of_range", [] { zeros({2, 3}).gather(1, tensor({{0}, {5}})); },
         {"gather", "index 5 is out of bounds for dimension 1 with size 3"}},
        {"ops_gather_negative_index", [] { zeros({2, 3}).gather(1, tensor({{0}, {-1}})); },
         {"gather", "index -1 is out of bounds for dimension 1 with size 3"}},
        {"ops_scatter_out_of_range", [] { zeros({2, 3}).scatter(1, tensor({{0}, {7}}), 1.0); },
         {"scatter", "index 7 is out of bounds for dimension 1 with size 3"}},
        {"ops_scatter_add_out_of_range",
         [] { zeros({3}).scatter_add(0, tensor({0, 4}), ones({2})); },
         {"scatter_add", "index 4 is out of bounds for dimension 0 with size 3"}},
        {"ops_tensor_index_out_of_range", [] { zeros({3}).index({tensor({0, 3})}); },
         {"index 3 is out of bounds for dimension 0 with size 3"}},
        {"ops_index_put_out_of_range", [] { zeros({3}).index_put_({tensor({5})}, 1.0); },
         {"index 5 is out of bounds for dimension 0 with size 3"}},
        {"ops_one_hot_class_out_of_range", [] { one_hot(tensor({0, 3}), 3); },
         {"one_hot", "Class values must be smaller than num_classes", "class 3",
          "num_classes=3"}},
        {"ops_one_hot_negative_class", [] { one_hot(tensor({0, -1}), 3); },
         {"one_hot", "Class values must be non-negative", "class -1"}},

        // Devices (a CPU-only build).
#ifndef EMBER_WITH_CUDA
        {"device_factory_on_cuda", [] { zeros({2}, {.device = kCUDA}); },
         {"ember was built without CUDA", "cuda"}},
        {"device_to_cuda", [] { zeros({2}).to(Device("cuda:0")); },
         {"ember was built without CUDA", "cuda:0"}},
        {"device_module_to_cuda", [] { nn::Linear(2, 2).to(kCUDA); },
         {"ember was built without CUDA", "cuda"}},
#endif
        {"device_bad_spec", [] { Device("tpu:0"); }, {"tpu:0"}},
        {"device_bad_index", [] { Device("cuda:x"); }, {"cuda:x"}},
    };
}

std::vector<Misuse> autograd_rows() {
    return {
        {"autograd_factory_int_requires_grad",
         [] { zeros({2}, {.dtype = DType::Int64, .requires_grad = true}); },
         {"Only Tensors of floating point", "can require gradients", "int64"}},
        {"autograd_int_requires_grad_", [] { arange(3).requires_grad_(); },
         {"requires_grad_", "only Tensors of floating point", "can require gradients", "int64"}},
        {"autograd_inplace_on_leaf", [] { leaf({2}).add_(1); },
         {"a leaf Variable that requires grad is being used in an in-place operation", "add_"}},
        {"autograd_inplace_on_view_of_leaf", [] { leaf({2})[0].mul_(2); },
         {"a view of a leaf Variable that requires grad is being used in an in-place operation"}},
        {"autograd_inplace_fill_on_leaf", [] { leaf({2}).fill_(0); },
         {"a leaf Variable that requires grad", "fill_"}},
        {"autograd_backward_twice",
         [] {
             Tensor x = leaf({3});
             Tensor y = (x * x).sum();
             y.backward();
             y.backward();
         },
         {"Trying to backward through the graph a second time", "retain_graph=True"}},
        {"autograd_backward_non_scalar", [] { (leaf({3}) * 2).backward(); },
         {"grad can be implicitly created only for scalar outputs", "[3]"}},
        {"autograd_backward_without_grad", [] { zeros({2}).sum().backward(); },
         {"element 0 of tensors does not require grad and does not have a grad_fn",
          "[] float32"}},
        {"autograd_backward_gradient_shape",
         [] { (leaf({3}) * 2).backward(ones({4})); },
         {"Mismatch in shape", "[4]", "[3]"}},
        {"autograd_grad_of_input_without_grad",
         [] {
             Tensor x = leaf({2});
             Tensor z = ones({2});
             autograd::grad({(x * z).sum()}, {z});
         },
         {"One of the differentiated Tensors does not require grad"}},
        {"autograd_saved_tensor_modified",
         [] {
             Tensor b = leaf({2}).sigmoid();
             b.mul_(2);
             b.sum().backward();
         },
         {"modified by an inplace operation", "[2]", "SigmoidBackward0", "is at version 1; "
          "expected version 0 instead"}},
        {"autograd_inference_tensor_saved",
         [] {
             Tensor t;
             {
                 InferenceMode guard;
                 t = ones({2});
             }
             leaf({2}) * t;
         },
         {"Inference tensors cannot be saved for backward"}},
        {"autograd_inference_tensor_requires_grad",
         [] {
             Tensor t;
             {
                 InferenceMode guard;
                 t = ones({2});
             }
             t.requires_grad_();
         },
         {"Setting requires_grad=True on inference tensor outside InferenceMode is not allowed"}},
        {"autograd_inference_tensor_inplace",
         [] {
             Tensor t;
             {
                 InferenceMode guard;
                 t = ones({2});
             }
             t.add_(1);
         },
         {"Inplace update to inference tensor outside InferenceMode is not allowed"}},
    };
}

std::vector<Misuse> nn_rows() {
    return {
        {"nn_linear_in_features", [] { nn::Linear(4, 2)(zeros({3, 5})); },
         {"Linear", "4", "[3, 5]"}},
        {"nn_linear_in_sequential_names_path",
         [] {
             nn::Sequential net(nn::Linear(4, 3), nn::ReLU(), nn::Linear(2, 1));
             net(zeros({1, 4}));
         },
         {"2 (Linear)", "2", "[1, 3]"}},
        {"nn_functional_linear_shapes", [] { F::linear(zeros({2, 3}), zeros({4, 5})); },
         {"linear", "[2, 3]", "[4, 5]"}},
        {"nn_linear_dtype_mismatch",
         [] { nn::Linear(2, 2)(zeros({1, 2}, {.dtype = DType::Float64})); },
         {"Linear", "float64", "float32"}},
        {"nn_conv2d_dtype_mismatch",
         [] { nn::Conv2d(1, 1, 3)(zeros({1, 1, 5, 5}, {.dtype = DType::Float64})); },
         {"Conv2d", "float64", "float32"}},
        {"nn_conv2d_input_channels", [] { nn::Conv2d(4, 6, 3)(zeros({1, 3, 10, 10})); },
         {"Given groups=1, weight of size [6, 4, 3, 3], expected input[1, 3, 10, 10] to have 4 "
          "channels, but got 3 channels instead"}},
        {"nn_conv2d_input_rank", [] { nn::Conv2d(1, 1, 3)(zeros({3, 3})); },
         {"Conv2d", "[3, 3]"}},
        {"nn_conv2d_kernel_larger_than_input", [] { nn::Conv2d(1, 1, 5)(zeros({1, 1, 3, 3})); },
         {"Kernel size can't be greater than actual input size", "5", "3"}},
        {"nn_conv2d_in_channels_groups", [] { nn::Conv2d(3, 6, 3, {.groups = 2}); },
         {"Conv2d", "in_channels must be divisible by groups", "in_channels=3", "groups=2"}},
        {"nn_conv2d_out_channels_groups", [] { nn::Conv2d(4, 5, 3, {.groups = 2}); },
         {"Conv2d", "out_channels must be divisible by groups", "out_channels=5", "groups=2"}},
        {"nn_conv2d_same_padding_strided",
         [] { nn::Conv2d(1, 1, 3, {.stride = 2, .padding = "same"}); },
         {"padding='same' is not supported for strided convolutions"}},
        {"nn_conv2d_bad_padding_mode", [] { nn::Conv2d(1, 1, 3, {.padding_mode = "mirror"}); },
         {"padding_mode", "mirror"}},
        {"nn_conv2d_negative_padding",
         [] { nn::Conv2d(1, 1, 3, {.padding = -1})(zeros({1, 1, 5, 5})); },
         {"Conv2d", "negative padding is not supported (padding [-1, -1])"}},
        {"nn_conv2d_zero_stride", [] { nn::Conv2d(1, 1, 3, {.stride = 0})(zeros({1, 1, 5, 5})); },
         {"Conv2d", "non-positive stride is not supported (stride [0, 0])"}},
        {"nn_max_pool2d_padding_too_large",
         [] { F::max_pool2d(zeros({1, 1, 4, 4}), 2, {.padding = 2}); },
         {"pad should be at most half of kernel size, but got pad=2 and kernel_size=2"}},
        {"nn_max_pool2d_output_too_small", [] { F::max_pool2d(zeros({1, 1, 1, 1}), 2); },
         {"max_pool2d", "Given input size: (1x1x1). Calculated output size: (1x0x0). Output size "
          "is too small"}},
        {"nn_dropout_probability", [] { nn::Dropout(1.5); },
         {"dropout probability has to be between 0 and 1, but got 1.5"}},
        {"nn_functional_dropout_probability", [] { F::dropout(zeros({2}), -0.5); },
         {"dropout probability has to be between 0 and 1, but got -0.5"}},
        {"nn_batchnorm2d_rank", [] { nn::BatchNorm2d(2)(zeros({2, 2, 3})); },
         {"BatchNorm2d", "expected 4D input (got 3D input)"}},
        {"nn_batchnorm1d_rank", [] { nn::BatchNorm1d(2)(zeros({1, 2, 3, 4})); },
         {"BatchNorm1d", "expected 2D or 3D input (got 4D input)"}},
        {"nn_batchnorm_one_value_per_channel", [] { nn::BatchNorm1d(2)(zeros({1, 2})); },
         {"Expected more than 1 value per channel when training, got input size [1, 2]"}},
        {"nn_batchnorm_channel_count", [] { nn::BatchNorm1d(3)(zeros({4, 2})); },
         {"BatchNorm1d", "3", "2"}},
        {"nn_layernorm_shape", [] { nn::LayerNorm(IntArrayRef{4})(zeros({2, 3})); },
         {"LayerNorm", "[4]", "[2, 3]"}},
        {"nn_groupnorm_divisible", [] { nn::GroupNorm(3, 4); },
         {"num_channels must be divisible by num_groups", "4", "3"}},
        {"nn_embedding_index_out_of_range", [] { nn::Embedding(5, 2)(tensor({0, 5})); },
         {"Embedding", "index out of range", "5"}},
        {"nn_embedding_negative_index", [] { nn::Embedding(5, 2)(tensor({-1})); },
         {"Embedding", "-1"}},
        {"nn_embedding_float_index", [] { nn::Embedding(5, 2)(zeros({2})); },
         {"Embedding", "Long, Int", "float32"}},
        {"nn_embedding_padding_idx", [] { nn::Embedding(5, 2, {.padding_idx = 5}); },
         {"Padding_idx must be within num_embeddings", "5"}},
        {"nn_flatten_module_dims", [] { nn::Flatten(3)(zeros({2, 3})); },
         {"Flatten", "but got 3"}},
        {"nn_softmax_module_dim", [] { nn::Softmax(2)(zeros({2, 3})); },
         {"Softmax", "but got 2"}},
        {"nn_bilinear_one_input", [] {
             nn::Bilinear bilinear(2, 2, 1);
             static_cast<nn::Module&>(bilinear)(zeros({1, 2}));
         }, {"Bilinear"}},
        {"nn_sequential_index_out_of_range", [] { (void)nn::Sequential{nn::ReLU()}[5]; },
         {"Sequential", "5"}},
        {"nn_register_parameter_twice",
         [] {
             nn::Module m;
             m.register_parameter("w", zeros({1}));
             m.register_buffer("w", zeros({1}));
         },
         {"attribute \"w\" already exists"}},
        {"nn_register_parameter_dotted_name",
         [] { nn::Module().register_parameter("a.b", zeros({1})); },
         {"a.b", "\".\""}},

        // Losses.
        {"nn_mse_loss_shapes", [] { F::mse_loss(zeros({3}), zeros({4})); },
         {"mse_loss", "3", "4"}},
        {"nn_loss_bad_reduction", [] { F::mse_loss(zeros({3}), zeros({3}), {.reduction = "avg"}); },
         {"avg is not a valid value for reduction"}},
        {"nn_l1_loss_module_bad_reduction",
         [] { nn::L1Loss({.reduction = "avg"})(zeros({3}), zeros({3})); },
         {"avg is not a valid value for reduction"}},
        {"nn_cross_entropy_class_out_of_range",
         [] { F::cross_entropy(zeros({2, 3}), tensor({0, 3})); }, {"Target 3 is out of bounds."}},
        {"nn_cross_entropy_negative_class",
         [] { F::cross_entropy(zeros({2, 3}), tensor({0, -1})); }, {"Target -1 is out of bounds."}},
        {"nn_cross_entropy_module_class_out_of_range",
         [] { nn::CrossEntropyLoss()(zeros({2, 3}), tensor({0, 7})); },
         {"CrossEntropyLoss", "Target 7 is out of bounds."}},
        {"nn_cross_entropy_float_class_target",
         [] { F::cross_entropy(zeros({2, 3}), zeros({2})); },
         {"cross_entropy", "integer dtype", "target [2] float32", "input [2, 3]"}},
        {"nn_cross_entropy_batch_mismatch",
         [] { F::cross_entropy(zeros({2, 3}), tensor({0, 1, 2})); },
         {"Expected input batch_size (2) to match target batch_size (3)."}},
        {"nn_cross_entropy_label_smoothing",
         [] { F::cross_entropy(zeros({2, 3}), tensor({0, 1}), {.label_smoothing = 1.5}); },
         {"label_smoothing must be between 0.0 and 1.0. Got: 1.5"}},
        {"nn_cross_entropy_prob_target_ignore_index",
         [] { F::cross_entropy(zeros({2, 3}), zeros({2, 3}), {.ignore_index = 1}); },
         {"ignore_index is not supported for floating point target"}},
        {"nn_cross_entropy_prob_target_shape",
         [] { F::cross_entropy(zeros({2, 3}), zeros({2, 4})); },
         {"cross_entropy", "[2, 3]", "[2, 4]"}},
        {"nn_cross_entropy_weight_size",
         [] { F::cross_entropy(zeros({2, 3}), tensor({0, 1}), {.weight = ones({2})}); },
         {"weight", "3", "[2]"}},
        {"nn_nll_loss_class_out_of_range", [] { F::nll_loss(zeros({2, 3}), tensor({0, 3})); },
         {"Target 3 is out of bounds."}},
        {"nn_nll_loss_batch_mismatch", [] { F::nll_loss(zeros({2, 3}), tensor({0})); },
         {"Expected input batch_size (2) to match target batch_size (1)."}},
        {"nn_bce_input_out_of_range",
         [] { F::binary_cross_entropy(tensor({1.5}), tensor({1.0})); },
         {"all elements of input should be between 0 and 1"}},
        {"nn_bce_target_shape",
         [] { F::binary_cross_entropy(full({3}, 0.5), full({3, 1}, 0.5)); },
         {"Using a target size ([3, 1]) that is different to the input size ([3])"}},
        {"nn_bce_with_logits_target_shape",
         [] { F::binary_cross_entropy_with_logits(zeros({3}), zeros({3, 1})); },
         {"Target size ([3, 1]) must be the same as input size ([3])"}},
        {"nn_kl_div_bad_reduction",
         [] { F::kl_div(zeros({3}), zeros({3}), {.reduction = "avg"}); },
         {"avg is not a valid value for reduction"}},
        {"nn_huber_negative_delta",
         [] { F::huber_loss(zeros({3}), zeros({3}), {.delta = -1}); }, {"huber", "-1"}},

        // state_dict.
        {"nn_load_state_dict_missing_key",
         [] {
             nn::Linear l(2, 1);
             nn::StateDict sd;
             sd.insert("weight", zeros({1, 2}));
             l.load_state_dict(sd);
         },
         {"Error(s) in loading state_dict for Linear", "Missing key(s) in state_dict: \"bias\""}},
        {"nn_load_state_dict_unexpected_key",
         [] {
             nn::Linear l(2, 1);
             nn::StateDict sd = l.state_dict();
             sd.insert("extra", zeros({1}));
             l.load_state_dict(sd);
         },
         {"Unexpected key(s) in state_dict: \"extra\""}},
        {"nn_load_state_dict_shape_mismatch",
         [] {
             nn::Linear l(2, 1);
             nn::StateDict sd = l.state_dict();
             sd.insert("weight", zeros({3, 3}));
             l.load_state_dict(sd, /*strict=*/false);
         },
         {"size mismatch for weight: copying a param with shape [3, 3] from checkpoint, the shape "
          "in current model is [1, 2]."}},
        {"nn_load_state_dict_nested_path",
         [] {
             nn::Sequential net(nn::Linear(2, 2), nn::ReLU(), nn::Linear(2, 1));
             nn::StateDict sd;
             for (const auto& [key, value] : net.state_dict())
                 if (key != "2.bias") sd.insert(key, value);
             net.load_state_dict(sd);
         },
         {"Sequential", "Missing key(s) in state_dict: \"2.bias\""}},
    };
}

// Invalid constructor options of every optimizer, with PyTorch's texts behind the class name.
std::vector<Misuse> optim_rows() {
    auto p = [] { return std::vector<Tensor>{leaf({2})}; };
    return {
        {"optim_sgd_negative_lr", [p] { optim::SGD(p(), {.lr = -1}); },
         {"SGD", "Invalid learning rate: -1"}},
        {"optim_sgd_negative_momentum", [p] { optim::SGD(p(), {.lr = 0.1, .momentum = -1}); },
         {"SGD", "Invalid momentum value: -1"}},
        {"optim_sgd_negative_weight_decay",
         [p] { optim::SGD(p(), {.lr = 0.1, .weight_decay = -1}); },
         {"SGD", "Invalid weight_decay value: -1"}},
        {"optim_sgd_nesterov_without_momentum",
         [p] { optim::SGD(p(), {.lr = 0.1, .nesterov = true}); },
         {"SGD", "Nesterov momentum requires a momentum and zero dampening (momentum 0, "
          "dampening 0)"}},
        {"optim_sgd_nesterov_with_dampening",
         [p] { optim::SGD(p(), {.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}); },
         {"SGD", "Nesterov momentum requires a momentum and zero dampening (momentum 0.9, "
          "dampening 0.1)"}},
        {"optim_sgd_nan_lr", [p] { optim::SGD(p(), {.lr = std::nan("")}); },
         {"SGD", "re:Invalid learning rate: -?nan"}},
        {"optim_sgd_group_negative_lr",
         [] { optim::SGD(std::vector<optim::SGDGroup>{{.params = {leaf({1})}, .lr = -2}}); },
         {"SGD", "Invalid learning rate: -2"}},
        {"optim_adam_negative_lr", [p] { optim::Adam(p(), {.lr = -1}); },
         {"Adam", "Invalid learning rate: -1"}},
        {"optim_adam_beta1", [p] { optim::Adam(p(), {.betas = {1.0, 0.999}}); },
         {"Adam", "Invalid beta parameter at index 0: 1"}},
        {"optim_adam_beta2", [p] { optim::Adam(p(), {.betas = {0.9, 1.0}}); },
         {"Adam", "Invalid beta parameter at index 1: 1"}},
        {"optim_adam_negative_beta", [p] { optim::Adam(p(), {.betas = {-0.1, 0.999}}); },
         {"Adam", "Invalid beta parameter at index 0: -0.1"}},
        {"optim_adam_negative_eps", [p] { optim::Adam(p(), {.eps = -1}); },
         {"Adam", "Invalid epsilon value: -1"}},
        {"optim_adam_negative_weight_decay", [p] { optim::Adam(p(), {.weight_decay = -1}); },
         {"Adam", "Invalid weight_decay value: -1"}},
        {"optim_adamw_negative_lr", [p] { optim::AdamW(p(), {.lr = -1}); },
         {"AdamW", "Invalid learning rate: -1"}},
        {"optim_adamw_beta2", [p] { optim::AdamW(p(), {.betas = {0.9, 1.5}}); },
         {"AdamW", "Invalid beta parameter at index 1: 1.5"}},
        {"optim_adamw_negative_eps", [p] { optim::AdamW(p(), {.eps = -1}); },
         {"AdamW", "Invalid epsilon value: -1"}},
        {"optim_adamw_negative_weight_decay", [p] { optim::AdamW(p(), {.weight_decay = -1}); },
         {"AdamW", "Invalid weight_decay value: -1"}},
        {"optim_adamax_negative_lr", [p] { optim::Adamax(p(), {.lr = -1}); },
         {"Adamax", "Invalid learning rate: -1"}},
        {"optim_adamax_beta1", [p] { optim::Adamax(p(), {.betas = {1.0, 0.999}}); },
         {"Adamax", "Invalid beta parameter at index 0: 1"}},
        {"optim_adamax_negative_eps", [p] { optim::Adamax(p(), {.eps = -1}); },
         {"Adamax", "Invalid epsilon value: -1"}},
        {"optim_adamax_negative_weight_decay", [p] { optim::Adamax(p(), {.weight_decay = -1}); },
         {"Adamax", "Invalid weight_decay value: -1"}},
        {"optim_nadam_negative_lr", [p] { optim::NAdam(p(), {.lr = -1}); },
         {"NAdam", "Invalid learning rate: -1"}},
        {"optim_nadam_beta1", [p] { optim::NAdam(p(), {.betas = {1.0, 0.999}}); },
         {"NAdam", "Invalid beta parameter at index 0: 1"}},
        {"optim_nadam_negative_momentum_decay",
         [p] { optim::NAdam(p(), {.momentum_decay = -1}); },
         {"NAdam", "Invalid momentum_decay value: -1"}},
        {"optim_radam_negative_lr", [p] { optim::RAdam(p(), {.lr = -1}); },
         {"RAdam", "Invalid learning rate: -1"}},
        {"optim_radam_beta2", [p] { optim::RAdam(p(), {.betas = {0.9, 1.0}}); },
         {"RAdam", "Invalid beta parameter at index 1: 1"}},
        {"optim_radam_negative_eps", [p] { optim::RAdam(p(), {.eps = -1}); },
         {"RAdam", "Invalid epsilon value: -1"}},
        {"optim_adagrad_negative_lr", [p] { optim::Adagrad(p(), {.lr = -1}); },
         {"Adagrad", "Invalid learning rate: -1"}},
        {"optim_adagrad_negative_lr_decay", [p] { optim::Adagrad(p(), {.lr_decay = -1}); },
         {"Adagrad", "Invalid lr_decay value: -1"}},
        {"optim_adagrad_negative_initial_accumulator",
         [p] { optim::Adagrad(p(), {.initial_accumulator_value = -1}); },
         {"Adagrad", "Invalid initial_accumulator_value value: -1"}},
        {"optim_adagrad_negative_eps", [p] { optim::Adagrad(p(), {.eps = -1}); },
         {"Adagrad", "Invalid epsilon value: -1"}},
        {"optim_adagrad_negative_weight_decay", [p] { optim::Adagrad(p(), {.weight_decay = -1}); },
         {"Adagrad", "Invalid weight_decay value: -1"}},
        {"optim_rmsprop_negative_lr", [p] { optim::RMSprop(p(), {.lr = -1}); },
         {"RMSprop", "Invalid learning rate: -1"}},
        {"optim_rmsprop_negative_alpha", [p] { optim::RMSprop(p(), {.alpha = -1}); },
         {"RMSprop", "Invalid alpha value: -1"}},
        {"optim_rmsprop_negative_momentum", [p] { optim::RMSprop(p(), {.momentum = -1}); },
         {"RMSprop", "Invalid momentum value: -1"}},
        {"optim_rmsprop_negative_eps", [p] { optim::RMSprop(p(), {.eps = -1}); },
         {"RMSprop", "Invalid epsilon value: -1"}},
        {"optim_rmsprop_negative_weight_decay", [p] { optim::RMSprop(p(), {.weight_decay = -1}); },
         {"RMSprop", "Invalid weight_decay value: -1"}},
        {"optim_rprop_negative_lr", [p] { optim::Rprop(p(), {.lr = -1}); },
         {"Rprop", "Invalid learning rate: -1"}},
        {"optim_rprop_bad_etas", [p] { optim::Rprop(p(), {.etas = {1.5, 1.2}}); },
         {"Rprop", "Invalid eta values: 1.5, 1.2"}},
        {"optim_rprop_etaplus_below_one", [p] { optim::Rprop(p(), {.etas = {0.5, 0.9}}); },
         {"Rprop", "Invalid eta values: 0.5, 0.9"}},
        {"optim_sparse_adam_negative_lr", [p] { optim::SparseAdam(p(), {.lr = -1}); },
         {"SparseAdam", "Invalid learning rate: -1"}},
        {"optim_sparse_adam_beta1", [p] { optim::SparseAdam(p(), {.betas = {1.0, 0.999}}); },
         {"SparseAdam", "Invalid beta parameter at index 0: 1"}},
        {"optim_sparse_adam_negative_eps", [p] { optim::SparseAdam(p(), {.eps = -1}); },
         {"SparseAdam", "Invalid epsilon value: -1"}},
        {"optim_adadelta_negative_lr", [p] { optim::Adadelta(p(), {.lr = -1}); },
         {"Adadelta", "Invalid learning rate: -1"}},
        {"optim_adadelta_rho", [p] { optim::Adadelta(p(), {.rho = 1.5}); },
         {"Adadelta", "Invalid rho value: 1.5"}},
        {"optim_adadelta_negative_eps", [p] { optim::Adadelta(p(), {.eps = -1}); },
         {"Adadelta", "Invalid epsilon value: -1"}},
        {"optim_adadelta_negative_weight_decay",
         [p] { optim::Adadelta(p(), {.weight_decay = -1}); },
         {"Adadelta", "Invalid weight_decay value: -1"}},

        // Parameters and groups.
        {"optim_empty_parameter_list", [] { optim::SGD(std::vector<Tensor>{}, {.lr = 0.1}); },
         {"SGD", "optimizer got an empty parameter list"}},
        {"optim_parameter_in_two_groups",
         [] {
             Tensor w = leaf({1});
             optim::SGD(std::vector<optim::SGDGroup>{{.params = {w}}, {.params = {w}}});
         },
         {"SGD", "some parameters appear in more than one parameter group"}},
        {"optim_non_leaf_parameter", [] { optim::Adam({leaf({2}) * 2}); },
         {"Adam", "can't optimize a non-leaf Tensor"}},
        {"optim_integer_parameter", [] { optim::Adam({arange(3)}); },
         {"Adam", "must be a floating-point tensor", "int64"}},
        {"optim_load_state_dict_group_count",
         [] {
             optim::SGD one({leaf({1})}, {.lr = 0.1});
             optim::SGD two(std::vector<optim::SGDGroup>{{.params = {leaf({1})}},
                                                         {.params = {leaf({1})}}});
             one.load_state_dict(two.state_dict());
         },
         {"SGD", "loaded state dict has a different number of parameter groups", "2", "1"}},
        {"optim_load_state_dict_group_size",
         [] {
             optim::SGD one({leaf({1})}, {.lr = 0.1});
             optim::SGD two({leaf({1}), leaf({1})}, {.lr = 0.1});
             one.load_state_dict(two.state_dict());
         },
         {"SGD",
          "loaded state dict contains a parameter group that doesn't match the size of "
          "optimizer's group"}},
        {"optim_load_state_dict_other_optimizer",
         [] {
             optim::SGD sgd({leaf({1})}, {.lr = 0.1});
             optim::Adam adam({leaf({1})});
             sgd.load_state_dict(adam.state_dict());
         },
         {"SGD", "Adam"}},

        // Gradients the optimizer cannot take.
        {"optim_adam_sparse_gradient",
         [] {
             optim::Adam adam({param_with_sparse_grad()});
             adam.step();
         },
         {"Adam does not support sparse gradients, please consider SparseAdam instead"}},
        {"optim_rmsprop_sparse_gradient",
         [] {
             optim::RMSprop opt({param_with_sparse_grad()});
             opt.step();
         },
         {"RMSprop does not support sparse gradients"}},
        {"optim_sparse_adam_dense_gradient",
         [] {
             optim::SparseAdam opt({param_with_dense_grad()});
             opt.step();
         },
         {"SparseAdam does not support dense gradients, please consider Adam instead"}},
        {"optim_adagrad_sparse_weight_decay",
         [] {
             optim::Adagrad opt({param_with_sparse_grad()}, {.weight_decay = 0.1});
             opt.step();
         },
         {"Adagrad", "weight_decay option is not compatible with sparse gradients"}},
        {"optim_grad_shape_mismatch",
         [] {
             Tensor w = leaf({2});
             w.set_grad(ones({3}));
         },
         {"set_grad", "assigned grad has data of a different size", "[3]", "[2]"}},
    };
}

std::vector<Misuse> scheduler_rows() {
    // An SGD with momentum over one parameter, and an optimizer without momentum (Adagrad).
    auto sgd = [] {
        return std::make_shared<optim::SGD>(std::vector<Tensor>{leaf({1})},
                                            optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
    };
    auto adagrad = [] { return std::make_shared<optim::Adagrad>(std::vector<Tensor>{leaf({1})}); };
    return {
        {"sched_step_lr_zero_step_size", [sgd] { S::StepLR(*sgd(), 0); },
         {"StepLR", "step_size", "0"}},
        {"sched_resume_without_initial_lr", [sgd] { S::StepLR(*sgd(), 3, 0.5, 2); },
         {"StepLR", "initial_lr", "param_groups[0]"}},
        {"sched_lambda_lr_count",
         [] {
             optim::SGD o(std::vector<optim::SGDGroup>{{.params = {leaf({1})}},
                                                       {.params = {leaf({1})}}},
                          {.lr = 0.1});
             S::LambdaLR(o, std::vector<S::LrLambda>{[](int64_t) { return 1.0; }});
         },
         {"LambdaLR", "Expected 2 lr_lambdas, but got 1"}},
        {"sched_multiplicative_lr_count",
         [] {
             optim::SGD o(std::vector<optim::SGDGroup>{{.params = {leaf({1})}},
                                                       {.params = {leaf({1})}}},
                          {.lr = 0.1});
             S::MultiplicativeLR(o, std::vector<S::LrLambda>{[](int64_t) { return 1.0; }});
         },
         {"MultiplicativeLR", "Expected 2 lr_lambdas, but got 1"}},
        {"sched_constant_lr_factor", [sgd] { S::ConstantLR(*sgd(), 2.0); },
         {"ConstantLR", "Constant multiplicative factor expected to be between 0 and 1. Got: 2"}},
        {"sched_linear_lr_start_factor", [sgd] { S::LinearLR(*sgd(), {.start_factor = 1.5}); },
         {"LinearLR", "Starting multiplicative factor expected to be between 0 and 1. Got: 1.5"}},
        {"sched_linear_lr_zero_start_factor", [sgd] { S::LinearLR(*sgd(), {.start_factor = 0}); },
         {"LinearLR", "Starting multiplicative factor expected to be greater than 0 and less or "
          "equal to 1. Got: 0"}},
        {"sched_linear_lr_end_factor", [sgd] { S::LinearLR(*sgd(), {.end_factor = 2}); },
         {"LinearLR", "Ending multiplicative factor expected to be between 0 and 1. Got: 2"}},
        {"sched_cosine_zero_t_max", [sgd] { S::CosineAnnealingLR(*sgd(), 0); },
         {"CosineAnnealingLR", "T_max", "0"}},
        {"sched_warm_restarts_t0", [sgd] { S::CosineAnnealingWarmRestarts(*sgd(), {.T_0 = 0}); },
         {"CosineAnnealingWarmRestarts", "Expected positive integer T_0, but got 0"}},
        {"sched_warm_restarts_t_mult",
         [sgd] { S::CosineAnnealingWarmRestarts(*sgd(), {.T_0 = 2, .T_mult = 0}); },
         {"CosineAnnealingWarmRestarts", "Expected integer T_mult >= 1, but got 0"}},
        {"sched_warm_restarts_negative_epoch",
         [sgd] {
             auto o = sgd();
             S::CosineAnnealingWarmRestarts s(*o, {.T_0 = 2});
             s.step(-1.0);
         },
         {"CosineAnnealingWarmRestarts", "Expected non-negative epoch, but got -1"}},
        {"sched_cyclic_missing_base_lr", [sgd] { S::CyclicLR(*sgd(), {.max_lr = 0.1}); },
         {"CyclicLR", "base_lr"}},
        {"sched_cyclic_zero_step_size",
         [sgd] { S::CyclicLR(*sgd(), {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 0}); },
         {"CyclicLR", "step_size_up", "0"}},
        {"sched_cyclic_bad_mode",
         [sgd] { S::CyclicLR(*sgd(), {.base_lr = 0.01, .max_lr = 0.1, .mode = "foo"}); },
         {"CyclicLR", "foo"}},
        {"sched_cyclic_momentum_without_momentum",
         [adagrad] { S::CyclicLR(*adagrad(), {.base_lr = 0.01, .max_lr = 0.1}); },
         {"CyclicLR", "momentum", "Adagrad"}},
        {"sched_cyclic_max_lr_per_group_count",
         [sgd] {
             S::CyclicLR(*sgd(), {.base_lr = 0.01, .max_lr = std::vector<double>{0.1, 0.2}});
         },
         {"CyclicLR", "expected 1 values for max_lr", "2"}},
        {"sched_one_cycle_no_total_steps", [sgd] { S::OneCycleLR(*sgd(), {.max_lr = 1.0}); },
         {"OneCycleLR", "You must define either total_steps OR (epochs AND steps_per_epoch)"}},
        {"sched_one_cycle_zero_total_steps",
         [sgd] { S::OneCycleLR(*sgd(), {.max_lr = 1.0, .total_steps = 0}); },
         {"OneCycleLR", "Expected positive integer total_steps, but got 0"}},
        {"sched_one_cycle_pct_start",
         [sgd] { S::OneCycleLR(*sgd(), {.max_lr = 1.0, .total_steps = 10, .pct_start = 1.5}); },
         {"OneCycleLR", "Expected float between 0 and 1 pct_start, but got 1.5"}},
        {"sched_one_cycle_anneal_strategy",
         [sgd] {
             S::OneCycleLR(*sgd(), {.max_lr = 1.0, .total_steps = 10, .anneal_strategy = "x"});
         },
         {"OneCycleLR", "anneal_strategy must by one of 'cos' or 'linear', instead got x"}},
        {"sched_one_cycle_momentum_without_momentum",
         [adagrad] { S::OneCycleLR(*adagrad(), {.max_lr = 1.0, .total_steps = 10}); },
         {"OneCycleLR", "optimizer must support momentum with `cycle_momentum` option enabled"}},
        {"sched_one_cycle_too_many_steps",
         [sgd] {
             auto o = sgd();
             S::OneCycleLR s(*o, {.max_lr = 1.0, .total_steps = 2});
             for (int i = 0; i < 3; ++i) s.step();
         },
         {"OneCycleLR", "Tried to step 4 times. The specified number of total steps is 2"}},
        {"sched_plateau_factor", [sgd] { S::ReduceLROnPlateau(*sgd(), {.factor = 1.0}); },
         {"ReduceLROnPlateau", "Factor should be < 1.0. Got: 1"}},
        {"sched_plateau_mode", [sgd] { S::ReduceLROnPlateau(*sgd(), {.mode = "foo"}); },
         {"ReduceLROnPlateau", "mode foo is unknown!"}},
        {"sched_plateau_threshold_mode",
         [sgd] { S::ReduceLROnPlateau(*sgd(), {.threshold_mode = "foo"}); },
         {"ReduceLROnPlateau", "threshold mode foo is unknown!"}},
        {"sched_plateau_min_lr_count",
         [sgd] { S::ReduceLROnPlateau(*sgd(), {.min_lr = std::vector<double>{0.1, 0.2}}); },
         {"ReduceLROnPlateau", "expected 1 min_lrs, got 2"}},
        {"sched_sequential_milestone_count",
         [sgd] {
             auto o = sgd();
             S::ExponentialLR a(*o, 0.9);
             S::ExponentialLR b(*o, 0.5);
             S::SequentialLR(*o, {a, b}, {2, 4});
         },
         {"SequentialLR", "2", "milestones"}},
        {"sched_sequential_other_optimizer",
         [sgd] {
             auto o1 = sgd();
             auto o2 = sgd();
             S::ExponentialLR a(*o1, 0.9);
             S::ExponentialLR b(*o2, 0.5);
             S::SequentialLR(*o1, {a, b}, {2});
         },
         {"SequentialLR", "optimizer"}},
        {"sched_chained_empty", [] { S::ChainedScheduler({}); },
         {"ChainedScheduler", "expected at least one scheduler"}},
        {"sched_sequential_step_epoch",
         [sgd] {
             auto o = sgd();
             S::ExponentialLR a(*o, 0.9);
             S::ExponentialLR b(*o, 0.5);
             S::SequentialLR s(*o, {a, b}, {2});
             s.step(3);
         },
         {"SequentialLR", "step(epoch) is not supported"}},
        {"sched_polynomial_step_epoch_zero_iters",
         [sgd] {
             auto o = sgd();
             S::PolynomialLR s(*o, 0);
             s.step(1);
         },
         {"PolynomialLR", "total_iters 0"}},
        {"sched_exponential_load_other_state",
         [sgd] {
             auto o = sgd();
             S::StepLR step(*o, 2);
             S::ExponentialLR exp(*o, 0.5);
             exp.load_state_dict(step.state_dict());
         },
         {"ExponentialLR.load_state_dict", "unexpected entry \"step_size\""}},
        {"sched_multistep_load_empty_state",
         [sgd] {
             auto o = sgd();
             S::MultiStepLR s(*o, {2, 5});
             s.load_state_dict({});
         },
         {"MultiStepLR.load_state_dict", "missing entry"}},
    };
}

std::vector<Misuse> data_rows() {
    using Loader = data::DataLoader<std::pair<Tensor, Tensor>>;
    auto ds = [] { return data::TensorDataset(arange(10.0), arange(10)); };
    return {
        {"data_loader_zero_batch_size", [ds] { Loader(ds(), {.batch_size = 0}); },
         {"batch_size should be a positive integer value, but got batch_size=0"}},
        {"data_loader_negative_workers", [ds] { Loader(ds(), {.num_workers = -1}); },
         {"DataLoader", "num_workers option should be non-negative", "-1"}},
        {"data_loader_shuffle_and_sampler",
         [ds] {
             Loader(ds(), {.shuffle = true,
                           .sampler = std::make_shared<data::SequentialSampler>(10)});
         },
         {"sampler option is mutually exclusive with shuffle"}},
        {"data_loader_batch_sampler_and_batch_size",
         [ds] {
             auto bs = std::make_shared<data::BatchSampler>(
                 std::make_shared<data::SequentialSampler>(10), 2);
             Loader(ds(), {.batch_size = 4, .batch_sampler = bs});
         },
         {"batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
          "drop_last"}},
        {"data_loader_negative_timeout", [ds] { Loader(ds(), {.timeout = -1}); },
         {"timeout option should be non-negative", "-1"}},
        {"data_loader_persistent_without_workers",
         [ds] { Loader(ds(), {.persistent_workers = true}); },
         {"persistent_workers option needs num_workers > 0"}},
        {"data_loader_prefetch_without_workers", [ds] { Loader(ds(), {.prefetch_factor = 3}); },
         {"DataLoader", "prefetch_factor option could only be specified with workers",
          "prefetch_factor=3"}},
        {"data_loader_zero_prefetch_with_workers",
         [ds] { Loader(ds(), {.num_workers = 1, .prefetch_factor = 0}); },
         {"prefetch_factor", "0"}},
        {"data_loader_sample_error_names_index_and_worker",
         [] {
             struct Failing : data::Dataset<std::pair<Tensor, Tensor>> {
                 int64_t size() const override { return 4; }
                 std::pair<Tensor, Tensor> get(int64_t i) const override {
                     EMBER_CHECK(i != 2, "Failing: sample ", i, " is corrupt");
                     return {zeros({1}), zeros({1})};
                 }
             };
             Loader loader(Failing(), {.batch_size = 2, .num_workers = 1});
             for (auto& batch : loader) (void)batch;
         },
         {"DataLoader: loading sample index 2 in worker 0 failed", "Failing: sample 2 is corrupt"}},
        {"data_loader_collate_size_mismatch",
         [] {
             struct Bad : data::Dataset<std::pair<Tensor, Tensor>> {
                 int64_t size() const override { return 3; }
                 std::pair<Tensor, Tensor> get(int64_t i) const override {
                     return {zeros({i + 1}), zeros({1})};  // sizes differ: stack fails
                 }
             };
             Loader loader(Bad(), {.batch_size = 3});
             for (auto& batch : loader) (void)batch;
         },
         {"stack expects each tensor to be equal size, but got [1] at entry 0 and [2] at entry 1"}},
        {"data_loader_iterable_with_shuffle",
         [] {
             struct Counter : data::IterableDataset<Tensor> {
                 int64_t i = 0;
                 void reset() override { i = 0; }
                 std::optional<Tensor> next() override {
                     return i < 3 ? std::optional<Tensor>(full({1}, i++)) : std::nullopt;
                 }
             };
             data::DataLoader<Tensor>(Counter(), {.shuffle = true});
         },
         {"DataLoader", "IterableDataset", "shuffle"}},
        {"data_batch_sampler_zero_batch_size",
         [] { data::BatchSampler(std::make_shared<data::SequentialSampler>(4), 0); },
         {"batch_size should be a positive integer value, but got batch_size=0"}},
        {"data_random_sampler_zero_samples",
         [] { data::RandomSampler(4, {.num_samples = 0}); },
         {"num_samples should be a positive integer value, but got num_samples=0"}},
        {"data_random_split_bad_sum",
         [ds] { data::random_split(ds(), {3, 4}); },
         {"random_split", "Sum of input lengths (7) does not equal the length of the input dataset "
          "(10)"}},
        {"data_random_split_fractions_bad_sum",
         [ds] { data::random_split(ds(), {0.5, 0.2}); },
         {"random_split", "Sum of input lengths does not equal the length of the input dataset "
          "(10)"}},
        {"data_random_split_negative_length",
         [ds] { data::random_split(ds(), {12, -2}); },
         {"random_split: length -2 at index 1 is negative"}},
        {"data_tensor_dataset_size_mismatch",
         [] { data::TensorDataset(zeros({3}), zeros({4})); },
         {"TensorDataset", "size mismatch between tensors", "3 samples", "4"}},
        {"data_tensor_dataset_index_out_of_range", [ds] { ds().get(10); },
         {"TensorDataset", "10", "size 10"}},
        {"data_subset_index_out_of_range",
         [ds] { data::Subset(ds(), {1, 2}).get(2); }, {"Subset", "2"}},
        {"data_concat_empty",
         [] { data::ConcatDataset<std::pair<Tensor, Tensor>>({}); },
         {"ConcatDataset", "datasets should not be an empty list"}},
        {"data_concat_negative_index",
         [ds] { data::ConcatDataset(ds(), ds()).get(-21); },
         {"absolute value of index should not exceed dataset length", "-21"}},
        {"data_concat_index_past_end",
         [ds] { data::ConcatDataset(ds(), ds()).get(20); }, {"ConcatDataset", "20"}},
        {"data_default_collate_sizes",
         [] { data::default_collate(std::vector<Tensor>{zeros({2}), zeros({3})}); },
         {"stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1"}},
    };
}

std::vector<Misuse> metrics_rows() {
    return {
        {"metrics_multiclass_one_class", [] { metrics::MulticlassAccuracy(1); },
         {"MulticlassAccuracy", "num_classes", "1"}},
        {"metrics_top_k_above_classes", [] { metrics::MulticlassAccuracy(3, {.top_k = 4}); },
         {"MulticlassAccuracy", "top_k", "4", "3"}},
        {"metrics_bad_average", [] { metrics::MulticlassAccuracy(3, {.average = "foo"}); },
         {"MulticlassAccuracy", "average", "foo"}},
        {"metrics_bad_multidim_average",
         [] { metrics::MulticlassAccuracy(3, {.multidim_average = "foo"}); },
         {"MulticlassAccuracy", "multidim_average", "foo"}},
        {"metrics_binary_threshold", [] { metrics::BinaryAccuracy({.threshold = 1.5}); },
         {"BinaryAccuracy", "threshold", "1.5"}},
        {"metrics_bad_task", [] { metrics::Accuracy({.task = "foo"}); },
         {"Accuracy", "task", "foo"}},
        {"metrics_multiclass_without_num_classes",
         [] { metrics::Accuracy({.task = "multiclass"}); },
         {"Accuracy", "num_classes", "multiclass"}},
        {"metrics_multilabel_without_num_labels",
         [] { metrics::F1Score({.task = "multilabel"}); }, {"F1Score", "num_labels"}},
        {"metrics_target_class_out_of_range",
         [] { metrics::MulticlassAccuracy(3).update(tensor({0, 1}), tensor({0, 5})); },
         {"MulticlassAccuracy", "target", "5", "3"}},
        {"metrics_preds_class_out_of_range",
         [] { metrics::MulticlassAccuracy(3).update(tensor({0, 4}), tensor({0, 1})); },
         {"MulticlassAccuracy", "preds", "4", "3"}},
        {"metrics_binary_target_not_01",
         [] { metrics::BinaryAccuracy().update(tensor({0.2, 0.7}), tensor({0, 2})); },
         {"BinaryAccuracy", "target", "2"}},
        {"metrics_shape_mismatch",
         [] { metrics::MulticlassAccuracy(3).update(tensor({0, 1, 2, 0}), tensor({0, 1, 2})); },
         {"MulticlassAccuracy", "[4]", "[3]"}},
        {"metrics_scores_wrong_class_dim",
         [] { metrics::MulticlassAccuracy(3).update(zeros({2, 4}), tensor({0, 1})); },
         {"MulticlassAccuracy", "3", "4"}},
        {"metrics_float_target",
         [] { metrics::MulticlassAccuracy(3).update(tensor({0, 1}), zeros({2})); },
         {"MulticlassAccuracy", "target", "float32"}},
        {"metrics_confusion_normalize",
         [] {
             metrics::ConfusionMatrix({.task = "multiclass", .num_classes = 3, .normalize = "foo"});
         },
         {"ConfusionMatrix", "normalize", "foo"}},
        {"metrics_functional_accuracy_bad_task",
         [] { metrics::functional::accuracy(tensor({0}), tensor({0}), {.task = "foo"}); },
         {"accuracy", "foo"}},
        {"metrics_mse_shape_mismatch",
         [] { metrics::MeanSquaredError().update(zeros({3}), zeros({4})); },
         {"MeanSquaredError", "[3]", "[4]"}},
    };
}

std::vector<Misuse> vision_rows() {
    auto apply = [](const T::Transform& t, const Tensor& x) { t(x); };
    return {
        {"vision_normalize_2d", [apply] { apply(T::Normalize({0.5}, {0.5}), zeros({3, 3})); },
         {"Normalize", "expected a tensor image of size (..., C, H, W)", "[3, 3]"}},
        {"vision_normalize_1d", [apply] { apply(T::Normalize({0.5}, {0.5}), zeros({3})); },
         {"Normalize", "not a", "image", "[3]"}},
        {"vision_normalize_integer",
         [apply] { apply(T::Normalize({0.5}, {0.5}), zeros({1, 2, 2}, {.dtype = DType::Int64})); },
         {"Normalize", "float tensor", "int64"}},
        {"vision_normalize_zero_std",
         [apply] { apply(T::Normalize({0.5}, {0.0}), zeros({1, 2, 2})); },
         {"Normalize", "std evaluated to zero after conversion to", "float32"}},
        {"vision_normalize_mean_length",
         [apply] { apply(T::Normalize({0.5, 0.5}, {1.0}), zeros({3, 2, 2})); },
         {"Normalize", "mean", "2", "3"}},
        {"vision_resize_zero", [] { T::Resize(0); }, {"Resize", "0"}},
        {"vision_resize_three_values", [] { T::Resize({1, 2, 3}); },
         {"Resize", "not a 3 element sequence"}},
        {"vision_resize_max_size",
         [] { T::Resize(3, {.max_size = 3}); },
         {"Resize", "max_size = 3 must be strictly greater than the requested size for the smaller "
          "edge size"}},
        {"vision_random_crop_too_large",
         [apply] { apply(T::RandomCrop(5), zeros({1, 3, 3})); },
         {"RandomCrop", "required crop size (5, 5) is larger than input image size (3, 3)"}},
        {"vision_center_crop_negative", [] { T::CenterCrop(-1); }, {"CenterCrop", "-1"}},
        {"vision_pad_three_values", [] { T::Pad({1, 2, 3}); }, {"Pad", "3"}},
        {"vision_pad_bad_mode", [] { T::Pad(1, {.padding_mode = "foo"}); }, {"Pad", "foo"}},
        {"vision_grayscale_channels", [] { T::Grayscale(2); }, {"Grayscale", "2"}},
        {"vision_color_jitter_negative", [] { T::ColorJitter({.brightness = -1}); },
         {"ColorJitter", "brightness", "-1"}},
        {"vision_color_jitter_hue_range", [] { T::ColorJitter({.hue = {-0.7, 0.7}}); },
         {"ColorJitter", "hue values should be between (-0.5, 0.5)", "0.7"}},
        {"vision_random_erasing_p", [] { T::RandomErasing({.p = 1.5}); },
         {"RandomErasing", "1.5"}},
        {"vision_random_erasing_scale", [] { T::RandomErasing({.scale = {0.5, 1.5}}); },
         {"RandomErasing", "scale", "1.5"}},
        {"vision_random_rotation_negative", [] { T::RandomRotation(-10.0); },
         {"RandomRotation", "-10"}},
        {"vision_random_resized_crop_zero", [] { T::RandomResizedCrop(0); },
         {"RandomResizedCrop", "0"}},
        {"vision_to_tensor_of_tensor", [apply] { apply(T::ToTensor(), zeros({1, 2, 2})); },
         {"ToTensor", "pic should be", "[1, 2, 2]"}},
    };
}

std::vector<Misuse> tensorboard_rows() {
    return {
        {"tensorboard_scalar_of_many",
         [] {
             ScratchDir dir("tb_scalar");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_scalar("loss", zeros({3}));
         },
         {"add_scalar('loss')", "3"}},
        {"tensorboard_histogram_empty",
         [] {
             ScratchDir dir("tb_hist");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_histogram("h", zeros({0}));
         },
         {"add_histogram", "no element"}},
        {"tensorboard_histogram_zero_bins",
         [] {
             ScratchDir dir("tb_bins");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_histogram("h", ones({3}), std::nullopt, 0);
         },
         {"add_histogram", "0"}},
        {"tensorboard_histogram_nan_with_bin_count",
         [] {
             ScratchDir dir("tb_nan");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_histogram("h", tensor({1.0, std::nan("")}), std::nullopt, 10);
         },
         {"add_histogram", "nan"}},
        {"tensorboard_image_two_channels",
         [] {
             ScratchDir dir("tb_img");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_image("img", zeros({2, 4, 4}));
         },
         {"add_image", "2"}},
        {"tensorboard_image_format_rank",
         [] {
             ScratchDir dir("tb_fmt");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_image("img", zeros({4, 4}));
         },
         {"add_image", "CHW", "[4, 4]"}},
        {"tensorboard_images_format",
         [] {
             ScratchDir dir("tb_imgs");
             tensorboard::SummaryWriter w(dir.path.string());
             w.add_images("img", zeros({1, 3, 4, 4}), std::nullopt, std::nullopt, "CHW");
         },
         {"add_images", "CHW"}},
        {"tensorboard_log_dir_is_a_file",
         [] {
             ScratchDir dir("tb_file");
             auto file = dir.path / "not_a_dir";
             std::ofstream(file) << "x";
             tensorboard::SummaryWriter w(file.string());
             w.add_scalar("x", 1.0);
         },
         {"SummaryWriter", "not_a_dir"}},
    };
}

std::vector<Misuse> serialization_rows() {
    return {
        {"io_load_missing_file", [] { load("/nonexistent/ember_misuse/model.safetensors"); },
         {"/nonexistent/ember_misuse/model.safetensors"}},
        {"io_save_into_missing_dir",
         [] {
             OrderedDict<Tensor> sd;
             sd.insert("w", zeros({2}));
             save(sd, "/nonexistent/ember_misuse/model.safetensors");
         },
         {"/nonexistent/ember_misuse/model.safetensors"}},
        {"io_load_not_safetensors",
         [] {
             ScratchDir dir("io_garbage");
             auto file = dir.path / "garbage.safetensors";
             std::ofstream(file) << "this is not a safetensors file";
             load(file.string());
         },
         {"garbage.safetensors"}},
        {"io_mnist_missing_files",
         [] { vision::datasets::MNIST("/nonexistent/ember_misuse"); },
         {"MNIST", "dataset not found", "/nonexistent/ember_misuse"}},
        {"io_cifar10_missing_files",
         [] { vision::datasets::CIFAR10("/nonexistent/ember_misuse"); },
         {"CIFAR10", "dataset not found or corrupted", "/nonexistent/ember_misuse"}},
        {"io_load_npy_missing_file", [] { io::load_npy("/nonexistent/ember_misuse/a.npy"); },
         {"/nonexistent/ember_misuse/a.npy"}},
        {"io_optim_state_missing_file",
         [] { optim::StateDict::load("/nonexistent/ember_misuse/opt.safetensors"); },
         {"/nonexistent/ember_misuse/opt.safetensors"}},
    };
}

std::vector<Misuse> all_rows() {
    std::vector<Misuse> rows;
    for (auto part : {tensor_rows, autograd_rows, nn_rows, optim_rows, scheduler_rows, data_rows,
                      metrics_rows, vision_rows, tensorboard_rows, serialization_rows})
        for (Misuse& row : part()) rows.push_back(std::move(row));
    return rows;
}

bool contains_needle(const std::string& message, const std::string& needle) {
    if (needle.rfind("re:", 0) == 0)
        return std::regex_search(message, std::regex(needle.substr(3)));
    return message.find(needle) != std::string::npos;
}

class MisuseTable : public ::testing::TestWithParam<Misuse> {};

TEST_P(MisuseTable, RaisesEmberErrorNamingTheValues) {
    const Misuse& row = GetParam();
    WarningCapture quiet;  // warnings a misuse may raise before its error are not under test
    try {
        row.misuse();
    } catch (const Error& e) {
        const std::string message = e.what();
        RecordProperty("message", message);  // in --gtest_output=xml, to review the wording
        for (const std::string& needle : row.needles)
            EXPECT_TRUE(contains_needle(message, needle))
                << "message lacks \"" << needle << "\"\n  message: " << message;
        return;
    } catch (const std::exception& e) {
        FAIL() << "threw " << typeid(e).name() << " instead of ember::Error: " << e.what();
    } catch (...) {
        FAIL() << "threw something that is not a std::exception";
    }
    FAIL() << "no error: the misuse was silently accepted";
}

INSTANTIATE_TEST_SUITE_P(Reference, MisuseTable, ::testing::ValuesIn(all_rows()),
                         [](const ::testing::TestParamInfo<Misuse>& info) {
                             return info.param.name;
                         });

}  // namespace
}  // namespace ember::test
