// A minimal protobuf (proto3) encoder and the TensorBoard messages SummaryWriter writes:
// Event, Summary.Value (scalar, histogram, image, text, hparams plugin data). Fields are
// written in increasing field-number order and defaults are omitted, as Python protobuf does,
// so the bytes equal PyTorch's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::tensorboard::proto {

// Appends fields to a message. Each method writes its field unconditionally; the *_nonzero
// variants skip proto3 default values.
class Writer {
public:
    Writer& varint_field(int field, uint64_t value);
    Writer& varint_nonzero(int field, uint64_t value) {
        return value ? varint_field(field, value) : *this;
    }
    Writer& double_field(int field, double value);
    Writer& double_nonzero(int field, double value) {
        return value != 0 ? double_field(field, value) : *this;
    }
    Writer& float_field(int field, float value);
    // Strings, bytes and sub-messages.
    Writer& bytes_field(int field, std::string_view value);
    Writer& bytes_nonempty(int field, std::string_view value) {
        return value.empty() ? *this : bytes_field(field, value);
    }
    Writer& packed_doubles(int field, const std::vector<double>& values);
    Writer& packed_floats(int field, const std::vector<float>& values);

    const std::string& bytes() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void key(int field, int wire_type);
    void varint(uint64_t value);
    std::string out_;
};

// Event{wall_time, step (omitted when 0), summary}.
std::string event(double wall_time, int64_t step, const std::string& summary);
// The first Event of a file: {wall_time, step, file_version = "brain.Event:2"}.
std::string file_version_event(double wall_time, int64_t step = 0);
// Event{wall_time, step, session_log = {status = START}} (written with purge_step).
std::string session_start_event(double wall_time, int64_t step);
// A Summary holding the given serialized Summary.Value messages.
std::string summary(const std::vector<std::string>& values);

// Summary.Value builders (each returns one serialized Value).
std::string scalar_value(const std::string& tag, float value);
std::string tensor_scalar_value(const std::string& tag, double value, bool double_precision);
std::string text_value(const std::string& tag, const std::string& text);

struct Histogram {
    double min = 0, max = 0, num = 0, sum = 0, sum_squares = 0;
    std::vector<double> bucket_limit, bucket;
};
std::string histogram_value(const std::string& tag, const Histogram& histogram);
std::string image_value(const std::string& tag, int64_t height, int64_t width,
                        int64_t colorspace, const std::string& png);

// The hparams plugin's three summaries (plugin "hparams", HParamsPluginData version 0).
struct HParam {
    std::string name;
    std::optional<std::string> string_value;  // else number_value
    double number_value = 0;
};
std::string hparams_experiment_value(const std::vector<HParam>& hparams,
                                     const std::vector<std::string>& metric_tags);
std::string hparams_session_start_value(const std::vector<HParam>& hparams);
std::string hparams_session_end_value();

}  // namespace ember::tensorboard::proto
