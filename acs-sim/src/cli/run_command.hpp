// `acs-sim run SCENARIO`: runs a scenario file for CI and returns the exit
// status: 0 every step passed, 1 a step failed (or the device never came),
// 2 the scenario file is malformed (the message names the step and the
// member), 3 the in-process simulator could not start.
//
// Without --nbi the simulator runs in this process (its CWMP listener is
// where the CPE under test must inform; --ready-file says when it listens)
// and the runner sees every event code of each Inform. With --nbi URL the
// runner drives an acs-sim (or GenieACS) that is already running.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "acs_server.hpp"

namespace acssim::cli {

struct RunCommandOptions {
    std::string scenario_file;
    std::string nbi_url;                               // empty: run the simulator in-process
    std::optional<std::chrono::milliseconds> timeout;  // replaces the scenario's own
    bool connection_request = true;
    std::string ready_file;  // in-process only: written once listening
};

int run_command(const RunCommandOptions& options, const AcsServerOptions& server_options,
                std::ostream& out, std::ostream& err);

}  // namespace acssim::cli
