// tensorboard::SummaryWriter: torch.utils.tensorboard.SummaryWriter's event files, which
// TensorBoard reads (scalars, histograms, images, text, hparams).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/core/tensor.h"

namespace ember::tensorboard {

class EventFileWriter;

// SummaryWriter's keyword arguments, as PyTorch names them.
struct SummaryWriterOptions {
    std::string comment;                // appended to the default log dir's name
    std::optional<int64_t> purge_step;  // TensorBoard drops older data with step >= purge_step
    int64_t max_queue = 10;             // pending records before add_* blocks for the writer
    double flush_secs = 120;            // pending records are flushed at least this often
    std::string filename_suffix;        // appended to every event file's name
};

// The bins of add_histogram: "tensorflow" (the default: TensorBoard's exponential edges), a
// number of equal-width bins over [min, max], or explicit increasing edges (numpy.histogram's
// rules: each bin is [left, right), the last one [left, right]; values outside are dropped).
class HistogramBins {
public:
    HistogramBins(const char* name);  // NOLINT: implicit, as PyTorch's bins='tensorflow'
    HistogramBins(const std::string& name);
    HistogramBins(int count);  // NOLINT
    HistogramBins(int64_t count);
    HistogramBins(std::vector<double> edges);  // NOLINT

    bool is_tensorflow() const { return !count_ && edges_.empty(); }
    std::optional<int64_t> count() const { return count_; }
    const std::vector<double>& edges() const { return edges_; }

private:
    std::optional<int64_t> count_;
    std::vector<double> edges_;
};

// One hyperparameter value of add_hparams: a number (int, float or bool: Python's bool is an
// int, so it is logged as a number, as PyTorch does), a string, or a one-element tensor.
class HParamValue {
public:
    template <class T>
        requires std::is_arithmetic_v<T>
    HParamValue(T value) : number_(static_cast<double>(value)) {}  // NOLINT
    HParamValue(const char* value) : string_(value) {}             // NOLINT
    HParamValue(std::string value) : string_(std::move(value)) {}  // NOLINT
    HParamValue(const Tensor& value);                               // NOLINT

    bool is_string() const { return string_.has_value(); }
    double number() const { return number_; }
    const std::string& string() const { return *string_; }

private:
    double number_ = 0;
    std::optional<std::string> string_;
};

class SummaryWriter {
public:
    // Writes to log_dir (created if missing); an empty log_dir means PyTorch's default,
    // runs/<Mon><DD>_<HH>-<MM>-<SS>_<hostname><comment>. A log dir that cannot be created, or
    // an event file that cannot be opened there, is an ember::Error here.
    explicit SummaryWriter(std::string log_dir = "", SummaryWriterOptions options = {});
    ~SummaryWriter();  // flushes and closes every file
    SummaryWriter(const SummaryWriter&) = delete;
    SummaryWriter& operator=(const SummaryWriter&) = delete;

    const std::string& log_dir() const { return log_dir_; }
    // The path of the main event file (opened on construction, or again after close()).
    std::string event_file_path();

    // A scalar: a number, or a tensor with one element on any device. Stored as a float32
    // simple_value; new_style stores a TensorProto (float64 with double_precision) instead.
    template <class T>
        requires std::is_arithmetic_v<T>
    void add_scalar(const std::string& tag, T value, std::optional<int64_t> global_step = {},
                    std::optional<double> walltime = {}, bool new_style = false,
                    bool double_precision = false) {
        add_scalar_value(tag, static_cast<double>(value), global_step, walltime, new_style,
                         double_precision);
    }
    void add_scalar(const std::string& tag, const Tensor& value,
                    std::optional<int64_t> global_step = {}, std::optional<double> walltime = {},
                    bool new_style = false, bool double_precision = false);

    // One scalar per key, each in its own run <log_dir>/<main_tag with '/' -> '_'>_<key>, all
    // tagged main_tag, as PyTorch's add_scalars (keys in the given order).
    void add_scalars(const std::string& main_tag,
                     const std::vector<std::pair<std::string, double>>& tag_scalar_dict,
                     std::optional<int64_t> global_step = {}, std::optional<double> walltime = {});

    // A histogram of the values (any shape and real dtype; empty is an error). max_bins merges
    // adjacent bins when there are more, as PyTorch.
    void add_histogram(const std::string& tag, const Tensor& values,
                       std::optional<int64_t> global_step = {},
                       const HistogramBins& bins = "tensorflow",
                       std::optional<double> walltime = {},
                       std::optional<int64_t> max_bins = {});

    // An image: dataformats "CHW" (default), "HWC", "HW" or any order of those letters; 1, 3 or
    // 4 channels (1 is replicated to RGB). uint8 pixels are stored as they are; other dtypes
    // are taken as [0, 1], scaled by 255, clipped to [0, 255] and truncated. PNG-encoded.
    void add_image(const std::string& tag, const Tensor& img_tensor,
                   std::optional<int64_t> global_step = {}, std::optional<double> walltime = {},
                   const std::string& dataformats = "CHW");
    // A batch of images ("NCHW" default, or "NHWC"...), tiled 8 per row into one image as
    // torchvision's make_grid does for PyTorch (1 or 3 channels).
    void add_images(const std::string& tag, const Tensor& img_tensor,
                    std::optional<int64_t> global_step = {}, std::optional<double> walltime = {},
                    const std::string& dataformats = "NCHW");

    // Text (Markdown in TensorBoard's TEXT tab), under tag + "/text_summary".
    void add_text(const std::string& tag, const std::string& text_string,
                  std::optional<int64_t> global_step = {}, std::optional<double> walltime = {});

    // Hyperparameters and their metrics for the HPARAMS tab, in a new run
    // <log_dir>/<run_name, default the current time in seconds>.
    void add_hparams(const std::vector<std::pair<std::string, HParamValue>>& hparam_dict,
                     const std::vector<std::pair<std::string, double>>& metric_dict,
                     const std::string& run_name = "");

    // Writes every pending record to disk (all runs). A write error on the background thread
    // is reported here as an ember::Error.
    void flush();
    // Flushes and closes every file; a later add_* opens a new event file.
    void close();

private:
    void add_scalar_value(const std::string& tag, double value, std::optional<int64_t> step,
                          std::optional<double> walltime, bool new_style, bool double_precision);
    // Queues an Event{wall_time, step, summary} for the main file.
    void add_summary(const std::string& summary, std::optional<int64_t> step,
                     std::optional<double> walltime);
    EventFileWriter& file_writer();

    std::string log_dir_;
    SummaryWriterOptions options_;
    std::unique_ptr<EventFileWriter> writer_;
    // add_scalars' per-key writers, by their log dir.
    std::map<std::string, std::unique_ptr<EventFileWriter>> all_writers_;
};

}  // namespace ember::tensorboard
