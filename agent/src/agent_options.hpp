// Command-line options of cwmp-agent.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connection_request/listen_address.hpp"
#include "phonecwmp/expected.hpp"

namespace agent {

struct AgentOptions {
    std::optional<std::string> acs_url;
    std::filesystem::path state_dir;
    std::filesystem::path definitions_file;
    std::filesystem::path factory_file;  // empty: a new store starts from the definitions only
    std::vector<std::pair<std::string, std::string>> initial_values;  // --set PATH=VALUE
    std::string log_level = "info";
    // --cr-listen: where connection requests are served; every IPv4 address
    // on the CWMP port by default.
    connection_request::ListenAddress cr_listen{boost::asio::ip::address_v4::any(), 7547};
};

struct OptionsOutcome {
    std::optional<AgentOptions> options;  // nullopt: exit with exit_code (e.g. --help)
    int exit_code = 0;
};

// The definitions file of an installation laid out as bin/cwmp-agent and
// share/phonecwmp/phone-device.xml (the build tree is laid out so too), else
// the one installed under the configured prefix.
std::filesystem::path default_definitions_file();
// The factory file, looked for the same way (share/phonecwmp/phone-factory.xml).
std::filesystem::path default_factory_file();

// Parses argv; prints help or errors itself (CLI11).
OptionsOutcome parse_options(int argc, char** argv,
                             const std::filesystem::path& default_definitions,
                             const std::filesystem::path& default_factory);

}  // namespace agent
