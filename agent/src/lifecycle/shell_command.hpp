// A configured hook (reboot, factory reset) run as `/bin/sh -c COMMAND`
// without blocking the io_context: the child's exit is watched through a
// pidfd, and a child that outlives its time limit is killed.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace agent::lifecycle {

struct ShellCommandResult {
    bool succeeded = false;   // exited with status 0
    std::string description;  // "exit status 3", "killed by signal 9", "timed out", ...
};

class ShellCommand {
public:
    using Completion = std::function<void(const ShellCommandResult&)>;

    explicit ShellCommand(boost::asio::io_context& io);
    // A child still running is killed and reaped.
    ~ShellCommand();
    ShellCommand(const ShellCommand&) = delete;
    ShellCommand& operator=(const ShellCommand&) = delete;

    // Starts the command; `done` runs on the io_context exactly once, also
    // when the command cannot be started. One command at a time: a second
    // start while one runs completes at once with a failure.
    void start(const std::string& command, std::chrono::milliseconds time_limit, Completion done);
    bool running() const { return child_ > 0; }

private:
    void on_exit_readable(const boost::system::error_code& ec);
    void finish(ShellCommandResult result);
    void kill_and_reap();

    boost::asio::io_context& io_;
    boost::asio::posix::stream_descriptor exit_watch_;
    boost::asio::steady_timer deadline_;
    pid_t child_ = -1;
    bool timed_out_ = false;
    Completion done_;
};

}  // namespace agent::lifecycle
