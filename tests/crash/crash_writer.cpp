// The writer process of the crash-safety test: opens the store named on the
// command line, finds the last committed transaction from the pending-event
// sequence number, then applies the transactions of crash_model.hpp one after
// the other until it is killed. After each commit has returned it writes the
// transaction's sequence number (8 bytes) to the file descriptor given as the
// second argument.
//
// Exit codes: 2 for bad arguments or an unloadable model, 3 when the store
// does not open, 4 when a transaction fails, 5 when the report cannot be
// written. A healthy run ends only by the test's SIGKILL.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "crash_model.hpp"
#include "datamodel/model.hpp"

namespace {

[[noreturn]] void fail(int code, const std::string& message) {
    std::fprintf(stderr, "crash_writer: %s\n", message.c_str());
    std::_Exit(code);
}

std::string first_error(const std::vector<datamodel::Error>& errors) {
    return errors.empty() ? std::string("unknown error")
                          : errors.front().path + ": " + errors.front().message;
}

bool report(int fd, std::uint64_t seq) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(&seq);
    std::size_t done = 0;
    while (done < sizeof seq) {
        const ssize_t written = ::write(fd, bytes + done, sizeof seq - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        done += static_cast<std::size_t>(written);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) fail(2, "usage: crash_writer STORE_FILE REPORT_FD");
    const int report_fd = std::atoi(argv[2]);

    auto loaded = datamodel::Definitions::load_string(crashtest::kModel, "crash-model");
    if (!loaded) fail(2, loaded.error().message);
    auto definitions = std::make_shared<const datamodel::Definitions>(std::move(*loaded));

    auto opened = datamodel::Model::open(definitions, argv[1]);
    if (!opened) fail(3, opened.error().message);
    datamodel::Model& model = **opened;

    const auto pending = model.meta(crashtest::kPendingEventsKey);
    crashtest::State state = crashtest::state_at(pending ? std::stoull(*pending) : 0);

    for (;;) {
        const std::uint64_t n = state.seq + 1;
        datamodel::ChangeSet changes;
        changes.internal_writes.push_back(
            {crashtest::kParameterKeyPath, crashtest::parameter_key(n), {}});
        changes.meta.push_back({crashtest::kPendingEventsKey, std::to_string(n)});
        changes.queue_events.push_back({0, crashtest::kEventCode, crashtest::event_key(n)});
        if (n >= 3) {
            const std::string old_key = crashtest::event_key(n - 2);
            for (const datamodel::PendingEvent& event : model.pending_events()) {
                if (event.command_key == old_key) changes.drop_events.push_back(event.id);
            }
            if (changes.drop_events.size() != 1)
                fail(4, "the event " + old_key + " is not pending");
        }

        switch (crashtest::next_op(state)) {
            case crashtest::Op::AddRow: {
                const auto added = model.add_object("Device.Row.", changes);
                if (!added) fail(4, "add_object: " + added.error().message);
                if (*added != state.next_instance) {
                    fail(4, "add_object returned instance " + std::to_string(*added) +
                                ", expected " + std::to_string(state.next_instance));
                }
                break;
            }
            case crashtest::Op::DeleteOldestRow: {
                const auto path = crashtest::row_path(state.rows.front().first);
                const auto deleted = model.delete_object(path, changes);
                if (!deleted) fail(4, "delete_object " + path + ": " + deleted.error().message);
                break;
            }
            case crashtest::Op::SetValues: {
                for (const char* path : crashtest::kSettingPaths) {
                    changes.writes.push_back({path, std::to_string(n), {}});
                }
                for (const auto& row : state.rows) {
                    changes.writes.push_back(
                        {crashtest::row_path(row.first) + "Tag", std::to_string(n), {}});
                }
                const auto applied = model.apply(changes);
                if (!applied) fail(4, "apply: " + first_error(applied.error()));
                break;
            }
        }
        crashtest::step(state);
        if (!report(report_fd, state.seq)) fail(5, "cannot report to the test");
    }
}
