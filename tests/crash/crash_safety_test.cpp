// Crash safety of the store (architecture invariant 4): a writer process
// applies a stream of transactions (SPVs with ParameterKey and pending events,
// AddObject and DeleteObject with ParameterKey alongside) and is killed with
// SIGKILL at random instants. After every kill the store must open and hold
// exactly the state of transaction N or N+1, where N is the last transaction
// the writer reported as committed (it reports after the commit returns, so a
// kill may land between the two).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "crash_model.hpp"
#include "datamodel/model.hpp"

namespace {

constexpr int kKills = 250;
constexpr int kMinLifeMs = 5;
constexpr int kMaxLifeMs = 50;
constexpr std::uint32_t kSeed = 20261127;

// Everything the store holds that a transaction touches, as read back.
struct Snapshot {
    std::vector<std::string> settings;
    std::string parameter_key;
    std::string row_count;
    std::optional<std::string> pending_events;
    std::map<std::uint32_t, std::string> rows;  // instance number -> Tag
    std::vector<std::string> event_keys;        // of the store's pending events, in order
    friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

std::string describe(const Snapshot& snapshot) {
    std::ostringstream out;
    out << "settings=";
    for (const auto& value : snapshot.settings) out << value << ' ';
    out << "ParameterKey='" << snapshot.parameter_key
        << "' RowNumberOfEntries=" << snapshot.row_count
        << " pending_events=" << snapshot.pending_events.value_or("<absent>") << " rows={";
    for (const auto& [instance, tag] : snapshot.rows) out << ' ' << instance << ':' << tag;
    out << " } events={";
    for (const auto& key : snapshot.event_keys) out << ' ' << key;
    out << " }";
    return out.str();
}

Snapshot expected(std::uint64_t seq) {
    const crashtest::State state = crashtest::state_at(seq);
    Snapshot snapshot;
    for (std::size_t i = 0; i < std::size(crashtest::kSettingPaths); ++i) {
        snapshot.settings.push_back(std::to_string(state.settings));
    }
    snapshot.parameter_key = crashtest::parameter_key(seq);
    snapshot.row_count = std::to_string(state.rows.size());
    if (seq > 0) snapshot.pending_events = std::to_string(seq);
    for (const auto& [instance, tag] : state.rows) snapshot.rows[instance] = std::to_string(tag);
    snapshot.event_keys = crashtest::event_keys_at(seq);
    return snapshot;
}

std::optional<Snapshot> read_back(const datamodel::Model& model, std::string& error) {
    const auto values = model.get_values({"Device."});
    if (!values) {
        error = values.error().message;
        return std::nullopt;
    }
    std::map<std::string, std::string> by_path;
    for (const auto& read : *values) by_path[read.path] = read.value;
    Snapshot snapshot;
    for (const char* path : crashtest::kSettingPaths) snapshot.settings.push_back(by_path[path]);
    snapshot.parameter_key = by_path[crashtest::kParameterKeyPath];
    snapshot.row_count = by_path["Device.RowNumberOfEntries"];
    snapshot.pending_events = model.meta(crashtest::kPendingEventsKey);
    for (const datamodel::PendingEvent& event : model.pending_events()) {
        if (event.code != crashtest::kEventCode) {
            error = "unexpected pending event " + event.code;
            return std::nullopt;
        }
        snapshot.event_keys.push_back(event.command_key);
    }
    constexpr std::string_view prefix = "Device.Row.";
    for (const auto& [path, value] : by_path) {
        if (!path.starts_with(prefix)) continue;
        const auto dot = path.find('.', prefix.size());
        if (dot == std::string::npos || path.substr(dot) != ".Tag") {
            error = "unexpected parameter " + path;
            return std::nullopt;
        }
        const auto instance = std::stoul(path.substr(prefix.size(), dot - prefix.size()));
        snapshot.rows[static_cast<std::uint32_t>(instance)] = value;
    }
    return snapshot;
}

// A folder under /tmp, removed with its contents.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "phonecwmp-crash-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// A file descriptor closed on destruction.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    int get() const { return fd_; }

private:
    int fd_;
};

// The writer process: started with its report pipe on descriptor 3, killed
// and reaped on destruction whatever happened in between.
class Writer {
public:
    Writer(const std::filesystem::path& store, int report_fd) {
        pid_ = ::fork();
        if (pid_ == 0) {
            if (::dup2(report_fd, 3) < 0) ::_exit(126);
            ::execl(PHONECWMP_CRASH_WRITER, PHONECWMP_CRASH_WRITER, store.c_str(), "3",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~Writer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    bool started() const { return pid_ > 0; }
    void kill() { ::kill(pid_, SIGKILL); }
    // The wait status once the process has ended.
    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        return status;
    }

private:
    pid_t pid_ = -1;
};

// Reads what is available on `fd` into `buffer`; false at end of file.
bool drain(int fd, std::string& buffer) {
    char chunk[4096];
    for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got > 0) {
            buffer.append(chunk, static_cast<std::size_t>(got));
            continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == EAGAIN) return true;
        return false;
    }
}

TEST(CrashSafety, StoreIsAlwaysBeforeOrAfterTheTransactionCutByTheKill) {
    auto loaded = datamodel::Definitions::load_string(crashtest::kModel, "crash-model");
    ASSERT_TRUE(loaded) << loaded.error().message;
    ASSERT_TRUE(loaded->skipped().empty());
    const auto definitions = std::make_shared<const datamodel::Definitions>(std::move(*loaded));

    TempDir dir;
    ASSERT_FALSE(dir.path().empty()) << std::strerror(errno);
    const auto store = dir.path() / "values.db";

    std::mt19937 random(kSeed);
    std::uniform_int_distribution<int> life_ms(kMinLifeMs, kMaxLifeMs);
    std::uint64_t verified = 0;  // the transaction the store held at the last check
    int idle_lives = 0;          // lives that committed nothing
    int cut_before_report = 0;   // kills between a commit and its report

    for (int life = 0; life < kKills; ++life) {
        SCOPED_TRACE("life " + std::to_string(life) + " (seed " + std::to_string(kSeed) + ")");
        int pipe_fds[2];
        ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK), 0) << std::strerror(errno);
        Fd read_end(pipe_fds[0]);
        Fd write_end(pipe_fds[1]);
        std::string reports;
        int status = 0;
        {
            Writer writer(store, write_end.get());
            ASSERT_TRUE(writer.started()) << std::strerror(errno);
            write_end.reset();

            const auto deadline =
                std::chrono::steady_clock::now() + std::chrono::milliseconds(life_ms(random));
            bool open = true;
            while (open) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                if (left.count() <= 0) break;
                pollfd wanted{read_end.get(), POLLIN, 0};
                if (::poll(&wanted, 1, static_cast<int>(left.count())) > 0) {
                    open = drain(read_end.get(), reports);
                }
            }
            writer.kill();
            status = writer.wait();
            drain(read_end.get(), reports);
        }
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            << "the writer ended by itself, status " << status << " (exit code "
            << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")";

        // The writer continues from the store's last transaction and reports
        // each one in order.
        ASSERT_EQ(reports.size() % sizeof(std::uint64_t), 0U);
        std::uint64_t last = verified;
        for (std::size_t at = 0; at < reports.size(); at += sizeof(std::uint64_t)) {
            std::uint64_t seq = 0;
            std::memcpy(&seq, reports.data() + at, sizeof seq);
            ASSERT_EQ(seq, last + 1) << "reports out of sequence";
            last = seq;
        }
        if (last == verified) ++idle_lives;

        auto reopened = datamodel::Model::open(definitions, store);
        ASSERT_TRUE(reopened) << "the store does not open after a kill: "
                              << reopened.error().message;
        std::string error;
        const auto actual = read_back(**reopened, error);
        ASSERT_TRUE(actual) << error;
        const Snapshot at_last = expected(last);
        const Snapshot after_last = expected(last + 1);
        if (*actual == at_last) {
            verified = last;
        } else if (*actual == after_last) {
            verified = last + 1;
            ++cut_before_report;
        } else {
            FAIL() << "the store is not the state of one transaction after the kill\n"
                   << "  last reported transaction " << last << ": " << describe(at_last)
                   << "\n  transaction " << last + 1 << ": " << describe(after_last)
                   << "\n  store: " << describe(*actual);
        }
    }

    std::printf(
        "[ crash    ] %d kills, %llu transactions committed, %d lives committed "
        "nothing, %d kills between a commit and its report\n",
        kKills, static_cast<unsigned long long>(verified), idle_lives, cut_before_report);
    // The test means something only when the writer got work done between
    // kills: on average at least one transaction per life, so that every kind
    // of transaction was cut many times.
    EXPECT_GE(verified, static_cast<std::uint64_t>(kKills));
    EXPECT_LT(idle_lives, kKills / 2);
}

}  // namespace
