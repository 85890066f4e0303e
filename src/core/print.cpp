// `std::cout << t` and `t.str()`: PyTorch 1.13's repr(t) byte for byte (torch/_tensor_str.py,
// rule by rule), and the global options of ember/core/print.h (torch.set_printoptions).
#include "ember/core/print.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "ember/autograd/node.h"

#include "ember/core/tensor.h"

namespace ember {
namespace {

// The options as the printer reads them (PyTorch's PRINT_OPTS).
struct Options {
    int precision = 4;
    int64_t threshold = 1000;
    int edgeitems = 3;
    int linewidth = 80;
    std::optional<bool> sci_mode;
};

// Options are global, as in PyTorch; the mutex only keeps a concurrent print from reading a
// half-written set.
std::mutex g_options_mutex;
Options g_options;

Options current_options() {
    std::lock_guard<std::mutex> lock(g_options_mutex);
    return g_options;
}

// The name of t's grad_fn ("MulBackward0"), empty when it has none.
std::string grad_fn_name(const Tensor& t) {
    std::shared_ptr<autograd::Node> fn = t.grad_fn();
    return fn ? fn->name() : std::string();
}

// Python's format(v, ".{precision}f") / format(v, ".{precision}e"). glibc's printf is
// correctly rounded (ties to even on exact ties) as Python's is; only non-finite values
// differ: Python never writes "-nan".
std::string python_format(double v, int precision, bool scientific) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    int n = scientific ? std::snprintf(nullptr, 0, "%.*e", precision, v)
                       : std::snprintf(nullptr, 0, "%.*f", precision, v);
    EMBER_ASSERT(n > 0, "snprintf failed");
    std::string text(static_cast<size_t>(n), '\0');
    if (scientific)
        std::snprintf(text.data(), text.size() + 1, "%.*e", precision, v);
    else
        std::snprintf(text.data(), text.size() + 1, "%.*f", precision, v);
    return text;
}

std::string pad_left(std::string text, size_t width) {
    if (text.size() < width) text.insert(0, width - text.size(), ' ');
    return text;
}

// PyTorch's _Formatter: one per tensor, chosen from the elements that will be shown.
class ElementFormatter {
public:
    // Integer and bool tensors: the width is that of the longest decimal text.
    ElementFormatter(DType dtype, const std::vector<int64_t>& shown) : dtype_(dtype) {
        for (int64_t v : shown) width_ = std::max(width_, int_text(v).size());
    }

    // Floating tensors (float16/bfloat16 already widened; every value is exact in double).
    ElementFormatter(const std::vector<double>& shown, const Options& options)
        : floating_(true), precision_(options.precision) {
        std::vector<double> finite_nonzero;
        for (double v : shown)
            if (std::isfinite(v) && v != 0) finite_nonzero.push_back(v);
        // Only 0, -0, nan and inf: int mode, width 1, and sci_mode is ignored (PyTorch
        // returns before applying it).
        if (finite_nonzero.empty()) return;

        double min_abs = std::numeric_limits<double>::infinity(), max_abs = 0;
        for (double v : finite_nonzero) {
            min_abs = std::min(min_abs, std::abs(v));
            max_abs = std::max(max_abs, std::abs(v));
            if (v != std::ceil(v)) int_mode_ = false;
        }
        // The thresholds compare exact stored values in float64, ratio included.
        bool wide_range = max_abs / min_abs > 1000.0 || max_abs > 1.0e8;
        if (int_mode_) {
            sci_mode_ = wide_range;
            for (double v : finite_nonzero) {
                // In int mode, the width counts the "." appended to finite values.
                size_t len = sci_mode_ ? python_format(v, precision_, true).size()
                                       : python_format(v, 0, false).size() + 1;
                width_ = std::max(width_, len);
            }
        } else {
            sci_mode_ = wide_range || min_abs < 1.0e-4;
            for (double v : finite_nonzero)
                width_ = std::max(width_, python_format(v, precision_, sci_mode_).size());
        }
        // A forced mode replaces the choice only after the width was computed, so padding
        // still follows the automatic format.
        if (options.sci_mode) sci_mode_ = *options.sci_mode;
    }

    size_t width() const { return width_; }

    std::string format_int(int64_t v) const { return pad_left(int_text(v), width_); }

    std::string format_float(double v) const {
        std::string text;
        if (sci_mode_) {
            text = python_format(v, precision_, true);
        } else if (int_mode_) {
            text = python_format(v, 0, false);
            if (std::isfinite(v)) text += '.';
        } else {
            text = python_format(v, precision_, false);
        }
        return pad_left(std::move(text), width_);
    }

    bool floating() const { return floating_; }

private:
    std::string int_text(int64_t v) const {
        if (dtype_ == DType::Bool) return v ? "True" : "False";
        return std::to_string(v);
    }

    DType dtype_ = DType::Float64;
    bool floating_ = false;
    bool int_mode_ = true;
    bool sci_mode_ = false;
    int precision_ = 4;
    size_t width_ = 1;
};

// Lays out the body of a non-empty CPU tensor: PyTorch's _tensor_str. Elements are read in
// place through the tensor's strides, so only the shown ones are touched.
class BodyPrinter {
public:
    BodyPrinter(const Tensor& t, const Options& options)
        : data_(static_cast<const char*>(t.data_ptr())),
          dtype_(t.dtype()),
          sizes_(t.sizes().begin(), t.sizes().end()),
          strides_(t.strides().begin(), t.strides().end()),
          options_(options),
          summarize_(t.numel() > options.threshold),
          formatter_(make_formatter(t)) {}

    // The body at the prefix's indent (7 for "tensor(").
    std::string str(int64_t indent) const { return layout(0, 0, indent); }

private:
    // Which indices of a dim of size n are shown: [0, head_end), an ellipsis if `elided`,
    // then [tail_begin, n).
    struct Shown {
        int64_t head_end;
        int64_t tail_begin;
        bool elided;
    };

    Shown shown(int64_t n) const {
        int64_t e = options_.edgeitems;
        if (!summarize_ || n <= 2 * e) return {n, n, false};
        // PyTorch's tail is self[-edgeitems:], which is the whole dim when edgeitems is 0:
        // [1, 2, 3] prints as [ ..., 1, 2, 3].
        return {e, e == 0 ? 0 : n - e, true};
    }

    ElementFormatter make_formatter(const Tensor& t) const {
        if (summarize_ && t.dim() >= 2 && options_.edgeitems == 0)
            EMBER_ERROR("print: cannot summarize a tensor of shape ", shape_str(t.sizes()),
                        " (numel ", t.numel(), " > threshold ", options_.threshold,
                        ") with edgeitems=0 (PyTorch fails too: \"stack expects a non-empty "
                        "TensorList\"); set edgeitems >= 1 or raise threshold");
        std::vector<int64_t> offsets;
        collect_shown(0, 0, offsets);
        if (is_floating_point(dtype_)) {
            std::vector<double> values;
            values.reserve(offsets.size());
            for (int64_t off : offsets) values.push_back(float_at(off));
            return ElementFormatter(values, options_);
        }
        std::vector<int64_t> values;
        values.reserve(offsets.size());
        for (int64_t off : offsets) values.push_back(int_at(off));
        return ElementFormatter(dtype_, values);
    }

    // The offsets of the elements shown (PyTorch's get_summarized_data); order is irrelevant.
    void collect_shown(size_t d, int64_t offset, std::vector<int64_t>& out) const {
        if (d == sizes_.size()) {
            out.push_back(offset);
            return;
        }
        Shown s = shown(sizes_[d]);
        for (int64_t i = 0; i < s.head_end; ++i)
            collect_shown(d + 1, offset + i * strides_[d], out);
        for (int64_t i = s.tail_begin; i < sizes_[d]; ++i)
            collect_shown(d + 1, offset + i * strides_[d], out);
    }

    double float_at(int64_t offset) const {
        const char* p = data_ + offset * element_size(dtype_);
        switch (dtype_) {
            case DType::Float16: return static_cast<float>(*reinterpret_cast<const Half*>(p));
            case DType::BFloat16:
                return static_cast<float>(*reinterpret_cast<const BFloat16*>(p));
            case DType::Float32: return *reinterpret_cast<const float*>(p);
            case DType::Float64: return *reinterpret_cast<const double*>(p);
            default: break;
        }
        EMBER_ASSERT(false, "print: float_at on ", dtype_);
        return 0;
    }

    int64_t int_at(int64_t offset) const {
        const char* p = data_ + offset * element_size(dtype_);
        switch (dtype_) {
            case DType::Bool: return *reinterpret_cast<const bool*>(p) ? 1 : 0;
            case DType::UInt8: return *reinterpret_cast<const uint8_t*>(p);
            case DType::Int8: return *reinterpret_cast<const int8_t*>(p);
            case DType::Int16: return *reinterpret_cast<const int16_t*>(p);
            case DType::Int32: return *reinterpret_cast<const int32_t*>(p);
            case DType::Int64: return *reinterpret_cast<const int64_t*>(p);
            default: break;
        }
        EMBER_ASSERT(false, "print: int_at on ", dtype_);
        return 0;
    }

    std::string element(int64_t offset) const {
        return formatter_.floating() ? formatter_.format_float(float_at(offset))
                                     : formatter_.format_int(int_at(offset));
    }

    // The sub-tensor made of dims [d, ndim) starting at `offset`, laid out at `indent`.
    std::string layout(size_t d, int64_t offset, int64_t indent) const {
        const size_t ndim = sizes_.size();
        if (d == ndim) return element(offset);  // 0-dim tensor
        const int64_t n = sizes_[d];
        const Shown s = shown(n);
        std::vector<std::string> items;
        if (d + 1 == ndim) {
            for (int64_t i = 0; i < s.head_end; ++i)
                items.push_back(element(offset + i * strides_[d]));
            if (s.elided) items.push_back(" ...");
            for (int64_t i = s.tail_begin; i < n; ++i)
                items.push_back(element(offset + i * strides_[d]));
            // Integer division truncates where Python floors, but both give <= 0 (then 1)
            // for a negative numerator.
            const int64_t item_width = static_cast<int64_t>(formatter_.width()) + 2;
            const int64_t per_line =
                std::max<int64_t>(1, (options_.linewidth - indent) / item_width);
            const std::string line_break =
                ",\n" + std::string(static_cast<size_t>(indent + 1), ' ');
            std::string out = "[";
            for (size_t i = 0; i < items.size(); ++i) {
                if (i > 0) out += (static_cast<int64_t>(i) % per_line == 0) ? line_break : ", ";
                out += items[i];
            }
            return out + "]";
        }
        for (int64_t i = 0; i < s.head_end; ++i)
            items.push_back(layout(d + 1, offset + i * strides_[d], indent + 1));
        if (s.elided) items.push_back("...");
        for (int64_t i = s.tail_begin; i < n; ++i)
            items.push_back(layout(d + 1, offset + i * strides_[d], indent + 1));
        // Sub-tensors of k dims are separated by k-1 newlines (3-D blocks by a blank line).
        const std::string separator = "," + std::string(ndim - d - 1, '\n') +
                                      std::string(static_cast<size_t>(indent + 1), ' ');
        std::string out = "[";
        for (size_t i = 0; i < items.size(); ++i) {
            if (i > 0) out += separator;
            out += items[i];
        }
        return out + "]";
    }

    const char* data_;
    DType dtype_;
    std::vector<int64_t> sizes_;
    std::vector<int64_t> strides_;
    Options options_;
    bool summarize_;
    ElementFormatter formatter_;
};

// Python's str(tuple(shape)): "(0, 3)", "(0,)".
std::string python_tuple(IntArrayRef shape) {
    std::string out = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) out += ", ";
        out += std::to_string(shape[i]);
    }
    if (shape.size() == 1) out += ",";
    return out + ")";
}

// PyTorch's _add_suffixes: each suffix stays on the last line while it fits in linewidth,
// else it starts a new line indented under the "(".
std::string add_suffixes(std::string text, const std::vector<std::string>& suffixes,
                         int64_t indent, int linewidth, bool force_newline = false) {
    // Python's len(s) - s.rfind("\n") + 1: the last line's length plus 2.
    const size_t newline = text.rfind('\n');
    int64_t last_line = static_cast<int64_t>(newline == std::string::npos
                                                 ? text.size() + 2
                                                 : text.size() - newline + 1);
    for (const std::string& suffix : suffixes) {
        const auto len = static_cast<int64_t>(suffix.size());
        if (force_newline || last_line + len + 2 > linewidth) {
            text += ",\n" + std::string(static_cast<size_t>(indent), ' ') + suffix;
            last_line = indent + len;
            force_newline = false;
        } else {
            text += ", " + suffix;
            last_line += len + 2;
        }
    }
    return text + ")";
}

// A part of a sparse tensor after its prefix ("indices=tensor("), as PyTorch's _tensor_str.
std::string sparse_part(const Tensor& part, int64_t indent, const Options& options) {
    if (part.numel() == 0) return "[], size=" + python_tuple(part.sizes());
    return BodyPrinter(part, options).str(indent);
}

// PyTorch's repr of a sparse COO tensor: both parts, then size, nnz, dtype and layout, the
// first of them on a new line.
std::string sparse_repr(const Tensor& t, const Options& options) {
    const std::string prefix = "tensor(";
    const auto indent = static_cast<int64_t>(prefix.size());
    const std::string indices_prefix = "indices=tensor(", values_prefix = "values=tensor(";
    const std::string body =
        indices_prefix +
        sparse_part(t._indices(), indent + static_cast<int64_t>(indices_prefix.size()), options) +
        "),\n" + std::string(static_cast<size_t>(indent), ' ') + values_prefix +
        sparse_part(t._values(), indent + static_cast<int64_t>(values_prefix.size()), options) +
        ")";
    std::vector<std::string> suffixes{"size=" + python_tuple(t.sizes()),
                                      "nnz=" + std::to_string(t._nnz())};
    if (t.dtype() != default_dtype() && t.dtype() != DType::Int64 && t.dtype() != DType::Bool)
        suffixes.push_back(std::string("dtype=torch.") + dtype_name(t.dtype()));
    suffixes.push_back("layout=torch.sparse_coo");
    return add_suffixes(prefix + body, suffixes, indent, options.linewidth, /*force_newline=*/true);
}

std::string tensor_repr(const Tensor& t) {
    const Options options = current_options();
    if (t.is_sparse()) return sparse_repr(t, options);
    const std::string prefix = "tensor(";
    const auto indent = static_cast<int64_t>(prefix.size());
    std::vector<std::string> suffixes;
    // PyTorch prints the device whenever it is not the default one (cpu).
    if (!t.is_cpu()) suffixes.push_back("device='" + t.device().str() + "'");
    const std::string dtype_suffix = std::string("dtype=torch.") + dtype_name(t.dtype());
    std::string body;
    if (t.numel() == 0) {
        // No elements to tell the dtype from: it is shown unless it is the default one, and
        // the shape unless it is (0,).
        if (t.dim() != 1) suffixes.push_back("size=" + python_tuple(t.sizes()));
        if (t.dtype() != default_dtype()) suffixes.push_back(dtype_suffix);
        body = "[]";
    } else {
        const DType d = t.dtype();
        if (d != default_dtype() && d != DType::Int64 && d != DType::Bool)
            suffixes.push_back(dtype_suffix);
        // CUDA tensors are printed from a CPU copy (kept alive while the printer reads it).
        const Tensor host = t.is_cpu() ? t : t.cpu();
        body = BodyPrinter(host, options).str(indent);
    }
    const std::string grad_fn = grad_fn_name(t);
    if (!grad_fn.empty())
        suffixes.push_back("grad_fn=<" + grad_fn + ">");
    else if (t.requires_grad())
        suffixes.push_back("requires_grad=True");
    return add_suffixes(prefix + body, suffixes, indent, options.linewidth);
}

}  // namespace

void set_printoptions(const PrintOptions& o) {
    // Validate everything first, so that a call that throws changes nothing.
    if (o.profile)
        EMBER_CHECK(*o.profile == "default" || *o.profile == "short" || *o.profile == "full",
                    "set_printoptions: unknown profile \"", *o.profile,
                    "\" (expected \"default\", \"short\" or \"full\")");
    if (o.precision)
        EMBER_CHECK(*o.precision >= 0, "set_printoptions: precision must be >= 0, got ",
                    *o.precision);
    if (o.edgeitems)
        EMBER_CHECK(*o.edgeitems >= 0, "set_printoptions: edgeitems must be >= 0, got ",
                    *o.edgeitems);

    std::lock_guard<std::mutex> lock(g_options_mutex);
    if (o.profile) {
        Options profile;  // "default"
        if (*o.profile == "short") {
            profile.precision = 2;
            profile.edgeitems = 2;
        } else if (*o.profile == "full") {
            profile.threshold = std::numeric_limits<int64_t>::max();
        }
        g_options.precision = profile.precision;
        g_options.threshold = profile.threshold;
        g_options.edgeitems = profile.edgeitems;
        g_options.linewidth = profile.linewidth;
    }
    if (o.precision) g_options.precision = *o.precision;
    if (o.threshold) g_options.threshold = *o.threshold;
    if (o.edgeitems) g_options.edgeitems = *o.edgeitems;
    if (o.linewidth) g_options.linewidth = *o.linewidth;
    // PyTorch's quirk, kept: every call sets sci_mode, back to automatic when not given.
    g_options.sci_mode = o.sci_mode;
}

PrintOptions print_options() {
    const Options o = current_options();
    return PrintOptions{.precision = o.precision,
                        .threshold = o.threshold,
                        .edgeitems = o.edgeitems,
                        .linewidth = o.linewidth,
                        .sci_mode = o.sci_mode,
                        .profile = std::nullopt};
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
    // LibTorch's text for an undefined tensor: printing is how one debugs, so it does not throw.
    if (!t.defined()) return os << "[ Tensor (undefined) ]";
    return os << tensor_repr(t);
}

}  // namespace ember
