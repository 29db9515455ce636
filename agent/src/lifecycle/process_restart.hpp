// The default reboot of cwmp-agent: the process replaces itself with a
// fresh copy of its own executable (/proc/self/exe) and the same arguments.
// Everything the agent held — data model, sessions, sockets, timers — is
// gone as after a power cycle, the store is reopened by the new image, and
// the process keeps its id, so a service manager or test harness watching
// it sees one process throughout.
#pragma once

#include <string>
#include <vector>

namespace agent::lifecycle {

class ProcessRestart {
public:
    // Keeps a copy of the arguments the process was started with.
    ProcessRestart(int argc, char** argv);

    // Flushes the logs, marks every descriptor above stderr close-on-exec
    // (Asio's sockets are not), and executes /proc/self/exe. Returns only if
    // that failed, with the reason.
    std::string exec() const;

private:
    std::vector<std::string> arguments_;
};

}  // namespace agent::lifecycle
