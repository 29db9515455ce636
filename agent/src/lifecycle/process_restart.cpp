#include "lifecycle/process_restart.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace agent::lifecycle {

namespace {

// For kernels without close_range(2) (before 5.11).
void mark_close_on_exec_one_by_one() {
    DIR* folder = ::opendir("/proc/self/fd");
    if (folder == nullptr) return;
    const int own = ::dirfd(folder);
    while (const dirent* entry = ::readdir(folder)) {
        const int fd = std::atoi(entry->d_name);
        if (fd > STDERR_FILENO && fd != own) {
            ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
        }
    }
    ::closedir(folder);
}

}  // namespace

ProcessRestart::ProcessRestart(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) arguments_.emplace_back(argv[i]);
}

std::string ProcessRestart::exec() const {
    if (auto logger = spdlog::default_logger()) logger->flush();
    std::fflush(nullptr);
    if (::close_range(STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        mark_close_on_exec_one_by_one();
    }
    std::vector<std::string> copies = arguments_;
    std::vector<char*> argv;
    for (std::string& argument : copies) argv.push_back(argument.data());
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    return std::string("cannot execute /proc/self/exe: ") + std::strerror(errno);
}

}  // namespace agent::lifecycle
