// SummaryWriter: builds each summary on the caller's thread and hands the serialized event to
// an EventFileWriter, whose thread frames and writes it.
#include "ember/tensorboard/summary_writer.h"

#include <algorithm>
#include <charconv>
#include <exception>
#include <ctime>
#include <filesystem>

#include "ember/core/error.h"
#include "tensorboard/event_file.h"
#include "tensorboard/histogram.h"
#include "tensorboard/image.h"
#include "tensorboard/proto.h"

namespace ember::tensorboard {

namespace {

// runs/<Mon><DD>_<HH>-<MM>-<SS>_<hostname><comment>, in local time, as PyTorch.
std::string default_log_dir(const std::string& comment) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%b%d_%H-%M-%S", &local);
    return (std::filesystem::path("runs") / (std::string(stamp) + "_" + host_name() + comment))
        .string();
}

// Python's str(float) for time.time(): the shortest repr, with ".0" for whole numbers.
std::string python_float_str(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    std::string text(buffer, result.ptr);
    if (text.find_first_of(".en") == std::string::npos) text += ".0";
    return text;
}

double scalar_of(const Tensor& value, const char* op, const std::string& tag) {
    EMBER_CHECK(value.defined(), op, "('", tag, "'): the value tensor is undefined");
    EMBER_CHECK(value.numel() == 1, op, "('", tag,
                "'): expected a tensor with one element, got shape ", shape_str(value.sizes()));
    return value.detach().cpu().item<double>();
}

}  // namespace

HParamValue::HParamValue(const Tensor& value)
    : number_(scalar_of(value, "add_hparams", "hparam")) {}

SummaryWriter::SummaryWriter(std::string log_dir, SummaryWriterOptions options)
    : log_dir_(log_dir.empty() ? default_log_dir(options.comment) : std::move(log_dir)),
      options_(std::move(options)) {
    file_writer();  // creates the log dir and the first file now: errors belong here
}

SummaryWriter::~SummaryWriter() {
    try {
        close();
    } catch (...) {
        // Destructors must not throw; the files are closed either way.
    }
}

EventFileWriter& SummaryWriter::file_writer() {
    if (!writer_ || writer_->closed()) {
        writer_ = std::make_unique<EventFileWriter>(log_dir_, options_.max_queue,
                                                    options_.flush_secs, options_.filename_suffix);
        if (options_.purge_step) {
            // Tells TensorBoard to drop earlier data with step >= purge_step (once only).
            const double wall_time = now_seconds();
            writer_->add_event(proto::file_version_event(wall_time, *options_.purge_step));
            writer_->add_event(proto::session_start_event(wall_time, *options_.purge_step));
            options_.purge_step.reset();
        }
    }
    return *writer_;
}

std::string SummaryWriter::event_file_path() { return file_writer().path(); }

void SummaryWriter::add_summary(const std::string& summary, std::optional<int64_t> step,
                                std::optional<double> walltime) {
    file_writer().add_event(proto::event(walltime ? *walltime : now_seconds(), step.value_or(0), summary));
}

void SummaryWriter::add_scalar_value(const std::string& tag, double value,
                                     std::optional<int64_t> step, std::optional<double> walltime,
                                     bool new_style, bool double_precision) {
    const std::string value_bytes =
        new_style ? proto::tensor_scalar_value(tag, value, double_precision)
                  : proto::scalar_value(tag, static_cast<float>(value));
    add_summary(proto::summary({value_bytes}), step, walltime);
}

void SummaryWriter::add_scalar(const std::string& tag, const Tensor& value,
                               std::optional<int64_t> global_step, std::optional<double> walltime,
                               bool new_style, bool double_precision) {
    add_scalar_value(tag, scalar_of(value, "add_scalar", tag), global_step, walltime, new_style,
                     double_precision);
}

void SummaryWriter::add_scalars(const std::string& main_tag,
                                const std::vector<std::pair<std::string, double>>& tag_scalar_dict,
                                std::optional<int64_t> global_step,
                                std::optional<double> walltime) {
    const double wall_time = walltime ? *walltime : now_seconds();
    std::string run_prefix = main_tag;
    std::replace(run_prefix.begin(), run_prefix.end(), '/', '_');
    const std::string main_dir = file_writer().log_dir();
    for (const auto& [key, value] : tag_scalar_dict) {
        const std::string run_dir = main_dir + "/" + run_prefix + "_" + key;
        std::unique_ptr<EventFileWriter>& writer = all_writers_[run_dir];
        if (!writer || writer->closed())
            writer = std::make_unique<EventFileWriter>(run_dir, options_.max_queue,
                                                       options_.flush_secs,
                                                       options_.filename_suffix, "add_scalars");
        const std::string summary =
            proto::summary({proto::scalar_value(main_tag, static_cast<float>(value))});
        writer->add_event(proto::event(wall_time, global_step.value_or(0), summary));
    }
}

void SummaryWriter::add_histogram(const std::string& tag, const Tensor& values,
                                  std::optional<int64_t> global_step, const HistogramBins& bins,
                                  std::optional<double> walltime, std::optional<int64_t> max_bins) {
    EMBER_CHECK(values.defined(), "add_histogram('", tag, "'): the values tensor is undefined");
    const std::vector<double> flat = values.detach().cpu().to_vector<double>();
    const proto::Histogram histogram = make_histogram(flat, bins, max_bins);
    add_summary(proto::summary({proto::histogram_value(tag, histogram)}), global_step, walltime);
}

void SummaryWriter::add_image(const std::string& tag, const Tensor& img_tensor,
                              std::optional<int64_t> global_step, std::optional<double> walltime,
                              const std::string& dataformats) {
    const EncodedImage image = encode_image(img_tensor, dataformats, "add_image");
    add_summary(proto::summary({proto::image_value(tag, image.height, image.width,
                                                   image.channels, image.png)}),
                global_step, walltime);
}

void SummaryWriter::add_images(const std::string& tag, const Tensor& img_tensor,
                               std::optional<int64_t> global_step, std::optional<double> walltime,
                               const std::string& dataformats) {
    EMBER_CHECK(dataformats.size() == 4, "add_images: dataformats must have 4 letters (NCHW), got '",
                dataformats, "'");
    const EncodedImage image = encode_image(img_tensor, dataformats, "add_images");
    add_summary(proto::summary({proto::image_value(tag, image.height, image.width,
                                                   image.channels, image.png)}),
                global_step, walltime);
}

void SummaryWriter::add_text(const std::string& tag, const std::string& text_string,
                             std::optional<int64_t> global_step, std::optional<double> walltime) {
    add_summary(proto::summary({proto::text_value(tag, text_string)}), global_step, walltime);
}

void SummaryWriter::add_hparams(const std::vector<std::pair<std::string, HParamValue>>& hparam_dict,
                                const std::vector<std::pair<std::string, double>>& metric_dict,
                                const std::string& run_name) {
    std::vector<proto::HParam> hparams;
    for (const auto& [name, value] : hparam_dict) {
        proto::HParam hp{name, std::nullopt, 0};
        if (value.is_string())
            hp.string_value = value.string();
        else
            hp.number_value = value.number();
        hparams.push_back(std::move(hp));
    }
    std::vector<std::string> metric_tags;
    for (const auto& metric : metric_dict) metric_tags.push_back(metric.first);

    const std::string run = run_name.empty() ? python_float_str(now_seconds()) : run_name;
    SummaryWriter run_writer((std::filesystem::path(file_writer().log_dir()) / run).string());
    run_writer.add_summary(proto::summary({proto::hparams_experiment_value(hparams, metric_tags)}),
                           std::nullopt, std::nullopt);
    run_writer.add_summary(proto::summary({proto::hparams_session_start_value(hparams)}),
                           std::nullopt, std::nullopt);
    run_writer.add_summary(proto::summary({proto::hparams_session_end_value()}), std::nullopt,
                           std::nullopt);
    for (const auto& [tag, value] : metric_dict) run_writer.add_scalar(tag, value);
    run_writer.close();
}

void SummaryWriter::flush() {
    if (writer_) writer_->flush();
    for (auto& [dir, writer] : all_writers_) writer->flush();
}

void SummaryWriter::close() {
    // Every file is closed even when one reports a write error; the first error is rethrown.
    std::exception_ptr first_error;
    auto close_one = [&](EventFileWriter& writer) {
        try {
            writer.close();
        } catch (...) {
            if (!first_error) first_error = std::current_exception();
        }
    };
    if (writer_) close_one(*writer_);
    for (auto& [dir, writer] : all_writers_) close_one(*writer);
    all_writers_.clear();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace ember::tensorboard
