#include "agent_options.hpp"

#include <CLI/CLI.hpp>

#include "datamodel/definitions.hpp"
#include "datamodel/factory.hpp"

namespace agent {

namespace {

// share/phonecwmp/<name> of the installation this executable belongs to,
// else the one installed under the configured prefix.
std::filesystem::path shared_file(const char* name, std::filesystem::path installed) {
    std::error_code ec;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = executable.parent_path().parent_path() / "share/phonecwmp" / name;
        if (std::filesystem::exists(beside, ec)) {
            return beside;
        }
    }
    return installed;
}

}  // namespace

std::filesystem::path default_definitions_file() {
    return shared_file("phone-device.xml", datamodel::installed_definitions_file());
}

std::filesystem::path default_factory_file() {
    return shared_file("phone-factory.xml", datamodel::installed_factory_file());
}

OptionsOutcome parse_options(int argc, char** argv,
                             const std::filesystem::path& default_definitions,
                             const std::filesystem::path& default_factory) {
    CLI::App app{"cwmp-agent: TR-069 (CWMP) device agent for SIP IP phones"};
    AgentOptions options;
    options.definitions_file = default_definitions;
    options.factory_file = default_factory;
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
    app.add_option("--factory", options.factory_file,
                   "Factory instances and values applied when the store is new (empty: none)")
        ->capture_default_str();
    app.add_option("--set", sets,
                   "PATH=VALUE: a local value applied before the first Inform (repeatable; "
                   "read-only parameters such as Device.DeviceInfo.SerialNumber included)");
    std::string cr_listen = "0.0.0.0:7547";
    app.add_option("--cr-listen", cr_listen,
                   "HOST:PORT of the connection-request server (IP literal; [::]:PORT for IPv6 "
                   "and IPv4; port 0 picks a free one)")
        ->capture_default_str();
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
    auto listen = connection_request::parse_listen_address(cr_listen);
    if (!listen) {
        std::fprintf(stderr, "--cr-listen %s\n", listen.error().c_str());
        return {std::nullopt, 2};
    }
    options.cr_listen = *listen;
    if (!acs_url.empty()) {
        options.acs_url = acs_url;
    }
    return {std::move(options), 0};
}

}  // namespace agent
