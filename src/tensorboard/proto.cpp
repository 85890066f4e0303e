// The protobuf encoder and TensorBoard's messages (field numbers from tensorboard's protos:
// event.proto, summary.proto, tensor.proto, plugins/hparams/{api,plugin_data}.proto).
#include "tensorboard/proto.h"

#include <cstring>

namespace ember::tensorboard::proto {

namespace {

enum WireType { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

template <class T>
void append_little_endian(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // x86 and ARM Linux are little-endian
    out.append(bytes, sizeof(T));
}

// SummaryMetadata{plugin_data = {plugin_name, content}}.
std::string plugin_metadata(const std::string& plugin_name, const std::string& content) {
    Writer plugin_data;
    plugin_data.bytes_field(1, plugin_name).bytes_nonempty(2, content);
    return Writer().bytes_field(1, plugin_data.bytes()).take();
}

// A Summary.Value with only a tag and hparams plugin metadata.
std::string hparams_value(const std::string& tag, const std::string& plugin_data) {
    return Writer().bytes_field(1, tag).bytes_field(9, plugin_metadata("hparams", plugin_data)).take();
}

constexpr int kDataTypeString = 1;   // tensorboard.hparams.DataType.DATA_TYPE_STRING
constexpr int kDataTypeFloat64 = 3;  // DATA_TYPE_FLOAT64

}  // namespace

void Writer::key(int field, int wire_type) { varint(uint64_t(field) << 3 | uint64_t(wire_type)); }

void Writer::varint(uint64_t value) {
    while (value >= 0x80) {
        out_.push_back(static_cast<char>(value | 0x80));
        value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
}

Writer& Writer::varint_field(int field, uint64_t value) {
    key(field, kVarint);
    varint(value);
    return *this;
}

Writer& Writer::double_field(int field, double value) {
    key(field, kFixed64);
    append_little_endian(out_, value);
    return *this;
}

Writer& Writer::float_field(int field, float value) {
    key(field, kFixed32);
    append_little_endian(out_, value);
    return *this;
}

Writer& Writer::bytes_field(int field, std::string_view value) {
    key(field, kLengthDelimited);
    varint(value.size());
    out_.append(value);
    return *this;
}

Writer& Writer::packed_doubles(int field, const std::vector<double>& values) {
    if (values.empty()) return *this;
    key(field, kLengthDelimited);
    varint(values.size() * sizeof(double));
    for (double v : values) append_little_endian(out_, v);
    return *this;
}

Writer& Writer::packed_floats(int field, const std::vector<float>& values) {
    if (values.empty()) return *this;
    key(field, kLengthDelimited);
    varint(values.size() * sizeof(float));
    for (float v : values) append_little_endian(out_, v);
    return *this;
}

std::string event(double wall_time, int64_t step, const std::string& summary) {
    return Writer()
        .double_nonzero(1, wall_time)
        .varint_nonzero(2, static_cast<uint64_t>(step))
        .bytes_field(5, summary)
        .take();
}

std::string file_version_event(double wall_time, int64_t step) {
    return Writer()
        .double_nonzero(1, wall_time)
        .varint_nonzero(2, static_cast<uint64_t>(step))
        .bytes_field(3, "brain.Event:2")
        .take();
}

std::string session_start_event(double wall_time, int64_t step) {
    const std::string session_log = Writer().varint_field(1, 1).take();  // status = START
    return Writer()
        .double_nonzero(1, wall_time)
        .varint_nonzero(2, static_cast<uint64_t>(step))
        .bytes_field(7, session_log)
        .take();
}

std::string summary(const std::vector<std::string>& values) {
    Writer w;
    for (const std::string& value : values) w.bytes_field(1, value);
    return w.take();
}

std::string scalar_value(const std::string& tag, float value) {
    // simple_value is a oneof member: written even when it is 0.
    return Writer().bytes_field(1, tag).float_field(2, value).take();
}

std::string tensor_scalar_value(const std::string& tag, double value, bool double_precision) {
    Writer tensor;
    if (double_precision)
        tensor.varint_field(1, 2).packed_doubles(6, {value});  // DT_DOUBLE, double_val
    else
        tensor.varint_field(1, 1).packed_floats(5, {static_cast<float>(value)});  // DT_FLOAT
    return Writer()
        .bytes_field(1, tag)
        .bytes_field(8, tensor.bytes())
        .bytes_field(9, plugin_metadata("scalars", ""))
        .take();
}

std::string text_value(const std::string& tag, const std::string& text) {
    const std::string dim = Writer().varint_field(1, 1).take();  // size = 1
    const std::string shape = Writer().bytes_field(2, dim).take();
    const std::string tensor =
        Writer().varint_field(1, 7).bytes_field(2, shape).bytes_field(8, text).take();  // DT_STRING
    // The text plugin's content is TextPluginData{version = 0}, which serializes to nothing.
    return Writer()
        .bytes_field(1, tag + "/text_summary")
        .bytes_field(8, tensor)
        .bytes_field(9, plugin_metadata("text", ""))
        .take();
}

std::string histogram_value(const std::string& tag, const Histogram& h) {
    const std::string histo = Writer()
                                  .double_nonzero(1, h.min)
                                  .double_nonzero(2, h.max)
                                  .double_nonzero(3, h.num)
                                  .double_nonzero(4, h.sum)
                                  .double_nonzero(5, h.sum_squares)
                                  .packed_doubles(6, h.bucket_limit)
                                  .packed_doubles(7, h.bucket)
                                  .take();
    return Writer().bytes_field(1, tag).bytes_field(5, histo).take();
}

std::string image_value(const std::string& tag, int64_t height, int64_t width,
                        int64_t colorspace, const std::string& png) {
    const std::string image = Writer()
                                  .varint_nonzero(1, static_cast<uint64_t>(height))
                                  .varint_nonzero(2, static_cast<uint64_t>(width))
                                  .varint_nonzero(3, static_cast<uint64_t>(colorspace))
                                  .bytes_nonempty(4, png)
                                  .take();
    return Writer().bytes_field(1, tag).bytes_field(4, image).take();
}

std::string hparams_experiment_value(const std::vector<HParam>& hparams,
                                     const std::vector<std::string>& metric_tags) {
    Writer experiment;
    for (const HParam& hp : hparams) {
        const int type = hp.string_value ? kDataTypeString : kDataTypeFloat64;
        experiment.bytes_field(4, Writer().bytes_field(1, hp.name).varint_field(4, type).take());
    }
    for (const std::string& tag : metric_tags) {
        const std::string metric_name = Writer().bytes_nonempty(2, tag).take();
        experiment.bytes_field(5, Writer().bytes_field(1, metric_name).take());
    }
    return hparams_value("_hparams_/experiment",
                         Writer().bytes_field(2, experiment.bytes()).take());
}

std::string hparams_session_start_value(const std::vector<HParam>& hparams) {
    Writer start_info;
    for (const HParam& hp : hparams) {
        // google.protobuf.Value: number_value = 2, string_value = 3 (oneof: always written).
        Writer value;
        if (hp.string_value)
            value.bytes_field(3, *hp.string_value);
        else
            value.double_field(2, hp.number_value);
        // map<string, Value> hparams = 1: entries {key = 1, value = 2}.
        start_info.bytes_field(1, Writer().bytes_field(1, hp.name).bytes_field(2, value.bytes()).take());
    }
    return hparams_value("_hparams_/session_start_info",
                         Writer().bytes_field(3, start_info.bytes()).take());
}

std::string hparams_session_end_value() {
    const std::string end_info = Writer().varint_field(1, 1).take();  // STATUS_SUCCESS
    return hparams_value("_hparams_/session_end_info", Writer().bytes_field(4, end_info).take());
}

}  // namespace ember::tensorboard::proto
