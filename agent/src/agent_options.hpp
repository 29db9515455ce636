// Command-line options of cwmp-agent.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connection_request/listen_address.hpp"
#include "http/http_types.hpp"
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
    // --ca-file, --client-cert, --client-key, --request-timeout,
    // --session-timeout: the HTTP(S) connection to the ACS.
    http::ChannelSettings acs_http;
    // --reboot-command, --factory-reset-command: hooks run with /bin/sh -c
    // (empty: the agent restarts itself in place; no extra step).
    std::string reboot_command;
    std::string factory_reset_command;
    // --firmware-command: installs a downloaded "1 Firmware Upgrade Image"
    // (its path appended as the last argument); empty: firmware downloads
    // are refused. --vendor-log-file: what "2 Vendor Log File" uploads.
    std::string firmware_command;
    std::filesystem::path vendor_log_file;
    // --sip-listen, --sip-cert, --sip-key, --sip-ca-file: the phone's SIP
    // endpoint (its port and transport come from the data model).
    boost::asio::ip::address sip_listen = boost::asio::ip::address_v4::any();
    std::filesystem::path sip_certificate;
    std::filesystem::path sip_key;
    std::filesystem::path sip_ca_file;
    // --interface: the network interface the agent configures from the data
    // model (addresses, routes, DHCP); empty: the network subsystem is off.
    std::string interface_name;
    // --config: the configuration file the options were read from, if any.
    std::filesystem::path config_file;
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

// Parses argv, and the configuration file that --config names (CLI11's TOML
// or INI: every option's long name is a key; the command line wins over the
// file). Prints help or errors itself; an error from the file names the file
// and the key.
OptionsOutcome parse_options(int argc, char** argv,
                             const std::filesystem::path& default_definitions,
                             const std::filesystem::path& default_factory);

}  // namespace agent
