// SummaryWriter: files, records, flushing, the background thread, and errors.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "event_reader.h"
#include "support/golden.h"
#include "tensorboard/proto.h"

namespace ember::tensorboard {
namespace {

using test_util::event_files;
using test_util::read_records;
using test_util::TempLogDir;

TEST(SummaryWriter, FirstRecordIsWrittenAndFlushedAtConstruction) {
    TempLogDir dir;
    SummaryWriter writer(dir.str());
    const auto files = event_files(dir.path());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].string(), writer.event_file_path());
    const std::string name = files[0].filename().string();
    const std::string host_pid =
        std::string(".").append(host_name()).append(".").append(std::to_string(getpid()));
    EXPECT_TRUE(name.find(host_pid + ".") != std::string::npos)
        << name;
    const auto records = read_records(files[0]);
    ASSERT_EQ(records.size(), 1u);  // readable before any flush() or close()
    EXPECT_NE(records[0].find("brain.Event:2"), std::string::npos);
}

TEST(SummaryWriter, ScalarsAreWrittenInOrderWithTheirSteps) {
    TempLogDir dir;
    SummaryWriter writer(dir.str(), {.filename_suffix = ".ember"});
    writer.add_scalar("loss", 0.25, 42, 1700000000.5);
    writer.add_scalar("loss", tensor({0.5f}), 43, 1700000001.0);  // a one-element tensor
    writer.add_scalar("acc", 3, std::nullopt, 1700000002.0);       // an int, no step
    writer.add_scalar("new", 0.5, 1, 1700000000.5, /*new_style=*/true);
    writer.flush();
    const auto files = event_files(dir.path());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(files[0].string().ends_with(".ember"));
    const auto records = read_records(files[0]);
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(records[1], proto::event(1700000000.5, 42,
                                       proto::summary({proto::scalar_value("loss", 0.25f)})));
    EXPECT_EQ(records[2], proto::event(1700000001.0, 43,
                                       proto::summary({proto::scalar_value("loss", 0.5f)})));
    EXPECT_EQ(records[3], proto::event(1700000002.0, 0,
                                       proto::summary({proto::scalar_value("acc", 3.0f)})));
    EXPECT_EQ(records[4],
              proto::event(1700000000.5, 1,
                           proto::summary({proto::tensor_scalar_value("new", 0.5, false)})));
}

TEST(SummaryWriter, ManyRecordsThroughASmallQueue) {
    TempLogDir dir;
    {
        SummaryWriter writer(dir.str(), {.max_queue = 2});
        for (int i = 0; i < 1000; ++i) writer.add_scalar("x", i, i, 1.0);
    }  // the destructor flushes and closes
    const auto records = read_records(event_files(dir.path()).at(0));
    ASSERT_EQ(records.size(), 1001u);
    for (int i = 0; i < 1000; ++i)
        ASSERT_EQ(records[size_t(i) + 1],
                  proto::event(1.0, i, proto::summary({proto::scalar_value("x", float(i))})));
}

TEST(SummaryWriter, FlushSecsFlushesWithoutBeingAsked) {
    TempLogDir dir;
    SummaryWriter writer(dir.str(), {.flush_secs = 0.05});
    writer.add_scalar("x", 1.0, 1);
    const auto file = event_files(dir.path()).at(0);
    size_t count = 0;
    for (int tries = 0; tries < 200 && count < 2; ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        count = read_records(file).size();
    }
    EXPECT_EQ(count, 2u);
}

TEST(SummaryWriter, AddScalarsWritesOneRunPerKey) {
    TempLogDir dir;
    SummaryWriter writer(dir.str());
    writer.add_scalars("run/loss", {{"train", 1.5}, {"val", 2.5}}, 7, 10.0);
    writer.add_scalars("run/loss", {{"train", 1.25}}, 8, 11.0);
    writer.flush();
    const auto train = read_records(event_files(dir.path() / "run_loss_train").at(0));
    ASSERT_EQ(train.size(), 3u);
    // The tag is main_tag, not the key.
    EXPECT_EQ(train[1], proto::event(10.0, 7, proto::summary({proto::scalar_value("run/loss", 1.5f)})));
    EXPECT_EQ(train[2], proto::event(11.0, 8, proto::summary({proto::scalar_value("run/loss", 1.25f)})));
    const auto val = read_records(event_files(dir.path() / "run_loss_val").at(0));
    ASSERT_EQ(val.size(), 2u);
    EXPECT_EQ(val[1], proto::event(10.0, 7, proto::summary({proto::scalar_value("run/loss", 2.5f)})));
    EXPECT_EQ(event_files(dir.path() / "run_loss_train").size(), 1u);  // reused, not reopened
}

TEST(SummaryWriter, TextHistogramAndImageRecords) {
    TempLogDir dir;
    SummaryWriter writer(dir.str());
    writer.add_text("note", "hi", 3, 1700000000.5);
    writer.add_histogram("w", tensor({0.5, 1.0, 1.0, 2.0}), 2, "tensorflow", 5.0);
    writer.add_image("img", rand({3, 2, 2}), 4, 6.0);
    writer.add_images("imgs", rand({2, 1, 2, 2}), 5, 7.0);
    writer.close();
    const auto records = read_records(event_files(dir.path()).at(0));
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(records[1], proto::event(1700000000.5, 3, proto::summary({proto::text_value("note", "hi")})));
    EXPECT_NE(records[2].find("\x0a\x01w\x2a"), std::string::npos);  // tag "w", histo field
    EXPECT_NE(records[3].find("\x89PNG"), std::string::npos);
    EXPECT_NE(records[4].find("\x89PNG"), std::string::npos);
}

TEST(SummaryWriter, PurgeStepWritesFileVersionAndSessionStart) {
    TempLogDir dir;
    {
        SummaryWriter writer(dir.str(), {.purge_step = 5});
    }
    const auto records = read_records(event_files(dir.path()).at(0));
    ASSERT_EQ(records.size(), 3u);
    // Event{wall_time, step 5, file_version} then Event{wall_time, step 5, session_log START}.
    EXPECT_NE(records[1].find("\x10\x05\x1a\x0d" "brain.Event:2"), std::string::npos);
    EXPECT_TRUE(records[2].ends_with(std::string("\x10\x05\x3a\x02\x08\x01", 6)));
}

TEST(SummaryWriter, UseAfterCloseOpensANewFile) {
    TempLogDir dir;
    SummaryWriter writer(dir.str());
    writer.add_scalar("x", 1.0, 1);
    writer.close();
    writer.close();  // twice is fine
    writer.add_scalar("x", 2.0, 2);
    writer.flush();
    const auto files = event_files(dir.path());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(read_records(files[0]).size() + read_records(files[1]).size(), 4u);
}

TEST(SummaryWriter, DefaultLogDirIsRunsDateHostComment) {
    TempLogDir dir;
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    std::string log_dir;
    {
        SummaryWriter writer("", {.comment = "_lr0.1"});
        log_dir = writer.log_dir();
    }
    std::filesystem::current_path(cwd);
    EXPECT_TRUE(log_dir.starts_with("runs/")) << log_dir;
    EXPECT_TRUE(log_dir.ends_with(std::string("_").append(host_name()).append("_lr0.1")))
        << log_dir;
    // runs/<Mon><DD>_<HH>-<MM>-<SS>_: 3 letters, 2 digits, '_', 2-2-2 digits.
    const std::string stamp = log_dir.substr(5, 15);
    EXPECT_TRUE(std::isalpha(stamp[0]) && std::isdigit(stamp[3]) && stamp[5] == '_' &&
                stamp[8] == '-' && stamp[11] == '-' && stamp[14] == '_')
        << log_dir;
    EXPECT_EQ(event_files(dir.path() / log_dir).size(), 1u);
}

TEST(SummaryWriter, HparamsGoToTheirOwnRun) {
    TempLogDir dir;
    SummaryWriter writer(dir.str());
    writer.add_hparams({{"lr", 0.1}, {"optimizer", "sgd"}}, {{"hparam/accuracy", 0.9}}, "trial1");
    const auto records = read_records(event_files(dir.path() / "trial1").at(0));
    ASSERT_EQ(records.size(), 5u);  // file version, 3 hparams summaries, the metric
    EXPECT_NE(records[1].find("_hparams_/experiment"), std::string::npos);
    EXPECT_NE(records[2].find("_hparams_/session_start_info"), std::string::npos);
    EXPECT_NE(records[3].find("_hparams_/session_end_info"), std::string::npos);
    EXPECT_NE(records[4].find("hparam/accuracy"), std::string::npos);
}

TEST(SummaryWriter, Errors) {
    TempLogDir dir;
    // A log dir under a regular file cannot be created: an error at construction.
    const std::string file = (dir.path() / "a_file").string();
    { std::ofstream(file) << "x"; }
    EXPECT_EMBER_ERROR(SummaryWriter(file + "/run"), "SummaryWriter", "cannot create log dir",
                       "a_file/run");
    EXPECT_EMBER_ERROR(SummaryWriter{file}, "SummaryWriter", "cannot create log dir");
    SummaryWriter writer(dir.str());
    EXPECT_EMBER_ERROR(writer.add_scalar("loss", tensor({1.0f, 2.0f})), "add_scalar", "'loss'",
                       "one element", "[2]");
    EXPECT_EMBER_ERROR(writer.add_scalar("loss", Tensor()), "add_scalar", "undefined");
    EXPECT_EMBER_ERROR(writer.add_histogram("h", zeros({0})), "add_histogram", "no element");
    EXPECT_EMBER_ERROR(writer.add_histogram("h", rand({3}), std::nullopt, "fd"), "add_histogram", "'fd'");
    EXPECT_EMBER_ERROR(writer.add_image("i", rand({3, 4})), "add_image", "'CHW'");
    EXPECT_EMBER_ERROR(writer.add_images("i", rand({3, 4, 5}), std::nullopt, std::nullopt, "CHW"),
                       "add_images", "4 letters");
}

TEST(SummaryWriter, NonContiguousAndEmptyHistogramInputs) {
    TempLogDir dir;
    SummaryWriter writer(dir.str());
    const Tensor base = rand({4, 6});
    writer.add_histogram("t", base.t(), 1, "tensorflow", 1.0);
    writer.add_histogram("c", base.t().contiguous(), 1, "tensorflow", 1.0);
    writer.add_scalar("s", base.narrow(1, 2, 1).narrow(0, 1, 1), 1, 1.0);
    writer.flush();
    const auto records = read_records(event_files(dir.path()).at(0));
    ASSERT_EQ(records.size(), 4u);
    // Same values in another order: the same histogram, only the tag differs.
    std::string t = records[1], c = records[2];
    t[t.find("\x0a\x01t") + 2] = 'c';
    EXPECT_EQ(t, c);
}

}  // namespace
}  // namespace ember::tensorboard
