#include "agent_options.hpp"

#include <CLI/CLI.hpp>

#include "datamodel/definitions.hpp"

namespace agent {

std::filesystem::path default_definitions_file() {
    std::error_code ec;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = executable.parent_path().parent_path() / "share/phonecwmp/phone-device.xml";
        if (std::filesystem::exists(beside, ec)) {
            return beside;
        }
    }
    return datamodel::installed_definitions_file();
}

OptionsOutcome parse_options(int argc, char** argv,
                             const std::filesystem::path& default_definitions) {
    CLI::App app{"cwmp-agent: TR-069 (CWMP) device agent for SIP IP phones"};
    AgentOptions options;
    options.definitions_file = default_definitions;
    options.state_dir = "/var/lib/phonecwmp";
    std::string acs_url;
    std::vector<std::string> sets;

    app.add_option("--acs-url", acs_url,
                   "ACS URL (http:// or https://); stored as Device.ManagementServer.URL");
    app.add_option("--state-dir", options.state_dir,
                   "Folder of the persistent store (created if missing)")
        ->capture_default_str();
    app.add_option("--definitions", options.definitions_file,
                   "Data-model definitions file (BBF data-model XML subset)")
        ->check(CLI::ExistingFile)
        ->capture_default_str();
    app.add_option("--set", sets,
                   "PATH=VALUE: a local value applied before the first Inform (repeatable; "
                   "read-only parameters such as Device.DeviceInfo.SerialNumber included)");
    app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error, off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return {std::nullopt, app.exit(error)};
    }
    for (const auto& assignment : sets) {
        const auto equals = assignment.find('=');
        if (equals == std::string::npos || equals == 0) {
            std::fprintf(stderr, "--set %s: expected PATH=VALUE\n", assignment.c_str());
            return {std::nullopt, 2};
        }
        options.initial_values.emplace_back(assignment.substr(0, equals),
                                            assignment.substr(equals + 1));
    }
    if (!acs_url.empty()) {
        options.acs_url = acs_url;
    }
    return {std::move(options), 0};
}

}  // namespace agent
