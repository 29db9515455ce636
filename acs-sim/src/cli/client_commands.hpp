// `acs-sim devices`, `acs-sim get` and `acs-sim set`: the common NBI calls
// for people who would rather not write curl lines. Each prints a table on
// `out` and returns the process's exit status: 0 done, 1 the NBI or the
// device refused or did not answer in time (the message is on `err`), 2 the
// arguments are malformed.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace acssim::cli {

struct ClientOptions {
    std::string nbi_url = "http://127.0.0.1:7557";
    // How long get/set wait for the device to run the task.
    std::chrono::milliseconds timeout{30000};
};

// Every device, or those `query` (a GET /devices query as JSON text) matches.
int devices_command(const ClientOptions& options, const std::string& query, std::ostream& out,
                    std::ostream& err);

// Reads the parameters (a path ending in '.' is a subtree) from the device
// through a getParameterValues task, or only from the cache with `cached`.
int get_command(const ClientOptions& options, const std::string& device_id,
                const std::vector<std::string>& paths, bool cached, std::ostream& out,
                std::ostream& err);

// Sets PATH=VALUE assignments in one setParameterValues task. The xsi:type
// is the one the cache knows for the parameter, else xsd:string.
int set_command(const ClientOptions& options, const std::string& device_id,
                const std::vector<std::string>& assignments, std::ostream& out, std::ostream& err);

}  // namespace acssim::cli
