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

// Whether the command line itself reads the configuration file: a value
// error is blamed on the file only when the command line alone parses.
enum class ConfigFile { Read, Ignore };

// True when `flag` ("--cr-listen") appears in argv itself, not only in the
// configuration file.
bool on_command_line(int argc, char** argv, std::string_view flag) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument == flag ||
            (argument.size() > flag.size() && argument.substr(0, flag.size()) == flag &&
             argument[flag.size()] == '=')) {
            return true;
        }
    }
    return false;
}

OptionsOutcome parse_options_from(int argc, char** argv,
                                  const std::filesystem::path& default_definitions,
                                  const std::filesystem::path& default_factory, ConfigFile config);

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
    return parse_options_from(argc, argv, default_definitions, default_factory, ConfigFile::Read);
}

namespace {

OptionsOutcome parse_options_from(int argc, char** argv,
                                  const std::filesystem::path& default_definitions,
                                  const std::filesystem::path& default_factory, ConfigFile config) {
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
    app.add_option("--ca-file", options.acs_http.ca_file,
                   "PEM file of the CAs trusted for an https ACS (default: the system's store); "
                   "the certificate chain and host name are always verified")
        ->check(CLI::ExistingFile);
    auto* client_cert = app.add_option("--client-cert", options.acs_http.client_certificate,
                                       "PEM client certificate (chain) presented to an https ACS")
                            ->check(CLI::ExistingFile);
    app.add_option("--client-key", options.acs_http.client_key,
                   "PEM private key of --client-cert (default: read from the --client-cert file)")
        ->check(CLI::ExistingFile)
        ->needs(client_cert);
    unsigned request_timeout_s = 30;
    app.add_option("--request-timeout", request_timeout_s,
                   "Seconds one HTTP request to the ACS may take, name lookup included")
        ->check(CLI::Range(1u, 3600u))
        ->capture_default_str();
    unsigned session_timeout_s = 300;
    app.add_option("--session-timeout", session_timeout_s,
                   "Seconds a whole CWMP session may last before the CPE fails it and retries")
        ->check(CLI::Range(1u, 86400u))
        ->capture_default_str();
    app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error, off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();

    app.add_option("--reboot-command", options.reboot_command,
                   "Command run with /bin/sh -c to reboot the device after a Reboot or a firmware "
                   "install (e.g. \"systemctl reboot\"); empty: the agent restarts itself in "
                   "place");
    app.add_option("--factory-reset-command", options.factory_reset_command,
                   "Command run with /bin/sh -c after a FactoryReset has reset the data model, "
                   "before the reboot (e.g. to wipe phone-side files)");
    app.add_option("--firmware-command", options.firmware_command,
                   "Command run with /bin/sh -c, the downloaded image's path appended, to install "
                   "a \"1 Firmware Upgrade Image\" (exit status 0 = installed, then the device "
                   "restarts); empty: firmware downloads are refused");
    app.add_option("--vendor-log-file", options.vendor_log_file,
                   "File whose end an Upload of \"2 Vendor Log File\" sends (e.g. the agent's log "
                   "as the init system writes it); empty: a short status text");
    std::string sip_listen = "0.0.0.0";
    app.add_option("--sip-listen", sip_listen,
                   "IP literal the SIP endpoint binds (port and transport: "
                   "SIP.Network.1.UserAgentPort / UserAgentTransport)")
        ->capture_default_str();
    app.add_option("--sip-cert", options.sip_certificate,
                   "PEM certificate (chain) the phone presents on SIP over TLS")
        ->check(CLI::ExistingFile);
    app.add_option("--sip-key", options.sip_key, "PEM private key of --sip-cert")
        ->check(CLI::ExistingFile);
    app.add_option("--sip-ca-file", options.sip_ca_file,
                   "PEM file of the CAs SIP peers' certificates are verified against")
        ->check(CLI::ExistingFile);
    app.add_option("--interface", options.interface_name,
                   "Network interface the agent configures live from Device.IP.Interface.1, "
                   "DHCPv4/DHCPv6.Client.1 and Routing (needs CAP_NET_ADMIN); empty: the "
                   "network subsystem is off")
        ->check([](const std::string& name) -> std::string {
            const bool valid = !name.empty() && name.size() < 16 &&
                               name.find_first_of("/ \t\n") == std::string::npos;
            return valid ? std::string() : "not an interface name (1 to 15 characters, no '/')";
        });
    const bool report = config == ConfigFile::Read;
    CLI::Option* config_option = nullptr;
    std::string ignored_config;
    if (report) {
        config_option =
            app.set_config("--config", "",
                           "Configuration file (TOML or INI): KEY = VALUE per line, a KEY "
                           "for every long option (state-dir = \"/var/lib/phonecwmp\", "
                           "set = [\"PATH=VALUE\"]); the command line wins");
        app.allow_config_extras(CLI::config_extras_mode::error);
    } else {
        app.add_option("--config", ignored_config);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (!report) {
            return {std::nullopt, error.get_exit_code() == 0 ? 2 : error.get_exit_code()};
        }
        const std::string file =
            config_option->count() > 0 ? config_option->as<std::string>() : std::string();
        if (error.get_exit_code() != 0 && !file.empty() &&
            parse_options_from(argc, argv, default_definitions, default_factory, ConfigFile::Ignore)
                .options) {
            // The command line alone is fine: the file is at fault.
            std::string message = error.what();
            constexpr std::string_view kExtras = "INI was not able to parse ";
            if (message.rfind(kExtras, 0) == 0) {
                message = "unknown key \"" + message.substr(kExtras.size()) + "\"";
            }
            std::fprintf(stderr, "configuration file %s: %s\n", file.c_str(), message.c_str());
            return {std::nullopt, error.get_exit_code()};
        }
        return {std::nullopt, app.exit(error)};
    }
    if (config_option != nullptr && config_option->count() > 0) {
        options.config_file = config_option->as<std::string>();
    }
    // Where a value came from, for errors found after CLI11's own checks.
    const auto origin = [&](std::string_view flag) {
        if (!report) return std::string();
        if (options.config_file.empty() || on_command_line(argc, argv, flag)) {
            return std::string(flag) + " ";
        }
        return "configuration file " + options.config_file.string() + ": key \"" +
               std::string(flag.substr(2)) + "\": ";
    };
    for (const auto& assignment : sets) {
        const auto equals = assignment.find('=');
        if (equals == std::string::npos || equals == 0) {
            if (report) {
                std::fprintf(stderr, "%s%s: expected PATH=VALUE\n", origin("--set").c_str(),
                             assignment.c_str());
            }
            return {std::nullopt, 2};
        }
        options.initial_values.emplace_back(assignment.substr(0, equals),
                                            assignment.substr(equals + 1));
    }
    auto listen = connection_request::parse_listen_address(cr_listen);
    if (!listen) {
        if (report) {
            std::fprintf(stderr, "%s%s\n", origin("--cr-listen").c_str(), listen.error().c_str());
        }
        return {std::nullopt, 2};
    }
    options.cr_listen = *listen;
    boost::system::error_code sip_listen_error;
    options.sip_listen = boost::asio::ip::make_address(sip_listen, sip_listen_error);
    if (sip_listen_error) {
        if (report) {
            std::fprintf(stderr, "%s%s: not an IP address\n", origin("--sip-listen").c_str(),
                         sip_listen.c_str());
        }
        return {std::nullopt, 2};
    }
    options.acs_http.request_timeout = std::chrono::seconds(request_timeout_s);
    options.acs_http.session_timeout = std::chrono::seconds(session_timeout_s);
    if (!acs_url.empty()) {
        options.acs_url = acs_url;
    }
    return {std::move(options), 0};
}

}  // namespace

}  // namespace agent
