#include "lifecycle/shell_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

extern char** environ;

namespace agent::lifecycle {

namespace {

std::string describe(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "ended with wait status " + std::to_string(status);
}

// Spawns /bin/sh -c COMMAND with stdin from /dev/null and none of the
// agent's descriptors but stdout and stderr (the agent's sockets and store
// must not outlive it in a reboot command's children).
pid_t spawn_shell(const std::string& command, std::string& error) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The agent's handlers for SIGINT/SIGTERM are not the child's business;
    // its signal mask starts empty.
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &empty);
    // Its own process group, so that a timeout kills what the shell
    // started too, not only the shell.
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes,
                             POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

    std::string shell = "/bin/sh";
    std::string dash_c = "-c";
    std::string text = command;
    char* argv[] = {shell.data(), dash_c.data(), text.data(), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        error = std::string("cannot start /bin/sh: ") + std::strerror(rc);
        return -1;
    }
    return pid;
}

}  // namespace

ShellCommand::ShellCommand(boost::asio::io_context& io) : io_(io), exit_watch_(io), deadline_(io) {}

ShellCommand::~ShellCommand() {
    kill_and_reap();
}

void ShellCommand::start(const std::string& command, std::chrono::milliseconds time_limit,
                         Completion done) {
    if (running()) {
        boost::asio::post(io_, [done = std::move(done)] {
            done({false, "another hook command is still running"});
        });
        return;
    }
    done_ = std::move(done);
    timed_out_ = false;
    std::string error;
    const pid_t pid = spawn_shell(command, error);
    if (pid < 0) {
        boost::asio::post(io_, [this, error] { finish({false, error}); });
        return;
    }
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        // Without a pidfd the exit cannot be watched without blocking: the
        // child is not left to run unobserved.
        const std::string reason = std::string("cannot watch the command: ") + std::strerror(errno);
        child_ = pid;
        kill_and_reap();
        boost::asio::post(io_, [this, reason] { finish({false, reason}); });
        return;
    }
    child_ = pid;
    exit_watch_.assign(pidfd);
    exit_watch_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](const boost::system::error_code& ec) { on_exit_readable(ec); });
    deadline_.expires_after(time_limit);
    deadline_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || !running()) return;
        timed_out_ = true;
        spdlog::warn("hook command {} ran out of time: killing it", child_);
        ::kill(-child_, SIGKILL);
    });
}

void ShellCommand::on_exit_readable(const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !running()) return;
    int status = 0;
    const pid_t reaped = ::waitpid(child_, &status, WNOHANG);
    if (reaped == 0) {
        // Not yet (spurious readiness): keep watching.
        exit_watch_.async_wait(
            boost::asio::posix::stream_descriptor::wait_read,
            [this](const boost::system::error_code& again) { on_exit_readable(again); });
        return;
    }
    child_ = -1;
    deadline_.cancel();
    boost::system::error_code ignored;
    exit_watch_.close(ignored);
    if (reaped < 0) {
        finish(
            {false, std::string("cannot collect the command's status: ") + std::strerror(errno)});
        return;
    }
    const bool succeeded = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    finish({succeeded && !timed_out_,
            timed_out_ ? "timed out (" + describe(status) + ")" : describe(status)});
}

void ShellCommand::finish(ShellCommandResult result) {
    if (auto done = std::exchange(done_, nullptr)) done(result);
}

void ShellCommand::kill_and_reap() {
    if (!running()) return;
    ::kill(-child_, SIGKILL);
    int status = 0;
    // SIGKILL cannot be caught: the wait is short.
    while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    child_ = -1;
    deadline_.cancel();
    boost::system::error_code ignored;
    exit_watch_.close(ignored);
}

}  // namespace agent::lifecycle
