// acs-sim: an ACS for testing CWMP agents (see acs-sim/README.md).
//   acs-sim [serve] [options]        the simulator (the default)
//   acs-sim run SCENARIO [options]   a CI scenario, in-process or against --nbi
//   acs-sim devices|get|set ...      NBI calls to a running instance
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "acs_server.hpp"
#include "cli/client_commands.hpp"
#include "cli/run_command.hpp"
#include "command_line.hpp"

namespace {

acssim::AcsServerOptions make_server_options(const acssim::CommandLine& command_line) {
    acssim::AcsServerOptions options;
    // Both were validated by the command line's checks.
    options.cwmp_listen = *acssim::parse_listen_address(command_line.cwmp_listen);
    options.nbi_listen = *acssim::parse_listen_address(command_line.nbi_listen);
    options.database_file = command_line.database_file;
    options.connection_request_credentials = {command_line.cr_username, command_line.cr_password};
    options.connection_request_timeout = std::chrono::milliseconds{command_line.cr_timeout_ms};
    options.max_connections = command_line.max_connections;
    options.cpe_auth = {*acssim::parse_cpe_auth_mode(command_line.cpe_auth),
                        command_line.cpe_username, command_line.cpe_password};
    options.allow_basic_over_http = command_line.allow_basic_over_http;
    options.tls_certificate_file = command_line.tls_certificate_file;
    options.tls_private_key_file = command_line.tls_private_key_file;
    if (!command_line.fs_listen.empty()) {
        options.fs_listen = *acssim::parse_listen_address(command_line.fs_listen);
    }
    options.fs_url_base = command_line.fs_url_base;
    return options;
}

// Raises the soft open-file limit so that every listener can reach
// --max-connections (the usual soft default, 1024, would stop the CWMP
// listener near 1,000 CPEs with "Too many open files"); warns when the hard
// limit is too low for that.
void raise_open_file_limit(unsigned max_connections) {
    // Three listeners, the connection requests in flight, the database,
    // the log and the listeners themselves.
    const rlim_t wanted = 3 * static_cast<rlim_t>(max_connections) + 256;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
    const rlim_t raised =
        limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (raised > limit.rlim_cur) {
        limit.rlim_cur = raised;
        (void)::setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (raised < wanted) {
        spdlog::warn(
            "open-file limit {} is below the {} that --max-connections {} needs: "
            "connections beyond it cannot be accepted",
            static_cast<unsigned long long>(raised), static_cast<unsigned long long>(wanted),
            max_connections);
    }
}

int serve(const acssim::CommandLine& command_line) {
    raise_open_file_limit(command_line.max_connections);
    auto options = make_server_options(command_line);
    if (!command_line.cpe_credentials_file.empty()) {
        auto credentials = acssim::CpeCredentials::load(command_line.cpe_credentials_file);
        if (!credentials) {
            spdlog::error("--cpe-credentials {}", credentials.error());
            return 2;
        }
        spdlog::info("--cpe-credentials: {} devices{}", credentials->device_count(),
                     credentials->default_cpe() ? " and a default" : "");
        auto shared = std::make_shared<const acssim::CpeCredentials>(std::move(*credentials));
        options.cpe_auth.credentials = shared;
        options.device_credentials = std::move(shared);
    }
    acssim::AcsServer server(std::move(options));
    boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& error, int signal) {
        if (error) return;
        spdlog::info("signal {} received", signal);
        server.stop();
    });

    if (auto started = server.start(); !started) {
        spdlog::error("{}", started.error());
        return 1;
    }
    if (!command_line.ready_file.empty()) {
        const auto content =
            acssim::ready_file_content(server.cwmp_endpoint(), server.nbi_endpoint(), ::getpid(),
                                       server.cwmp_tls(), server.fs_endpoint());
        if (auto written = acssim::write_file_atomically(command_line.ready_file, content);
            !written) {
            spdlog::error("ready file: {}", written.error());
            return 1;
        }
    }

    server.run();
    if (!command_line.ready_file.empty()) std::remove(command_line.ready_file.c_str());
    spdlog::info("stopped");
    return 0;
}

std::chrono::milliseconds milliseconds_of(double seconds) {
    return std::chrono::milliseconds{static_cast<long long>(std::llround(seconds * 1000))};
}

// --nbi and --timeout of the subcommands that call a running instance.
void add_client_options(CLI::App& command, std::string& nbi_url, double& timeout_seconds) {
    command.add_option("--nbi", nbi_url, "Northbound API of the running acs-sim")
        ->type_name("URL")
        ->capture_default_str();
    command
        .add_option("--timeout", timeout_seconds,
                    "Seconds to wait for the device to run the task (a connection request is "
                    "tried first, else its next session)")
        ->check(CLI::Range(0.1, 3600.0))
        ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "acs-sim: a TR-069 ACS simulator with a GenieACS-compatible northbound API.\n"
        "Without a subcommand it serves (as `acs-sim serve`)."};
    // Server options are the main command's; `serve` and `run` accept them too.
    app.fallthrough();
    app.require_subcommand(0, 1);
    acssim::CommandLine command_line;
    acssim::configure_command_line(app, command_line);

    auto* serve_command = app.add_subcommand("serve", "Run the simulator (the default)");

    acssim::cli::RunCommandOptions run_options;
    double run_timeout_seconds = 0;
    bool no_connection_request = false;
    auto* run_command = app.add_subcommand(
        "run",
        "Run a scenario file (JSON) for CI: exit 0 when every step passed, 1 at the first "
        "failed step, 2 for a malformed scenario, 3 when the simulator cannot start. Without "
        "--nbi the simulator runs in-process (NBI on a free port, database :memory: unless "
        "--nbi-listen/--db say otherwise)");
    run_command->add_option("SCENARIO", run_options.scenario_file, "The scenario file")->required();
    run_command->add_option("--nbi", run_options.nbi_url,
                            "Drive an acs-sim (or GenieACS) already running at this NBI URL "
                            "instead of one in-process");
    run_command
        ->add_option("--timeout", run_timeout_seconds,
                     "Seconds for the whole run, replacing the scenario's \"timeout\"")
        ->check(CLI::Range(0.1, 86400.0));
    run_command->add_flag("--no-connection-request", no_connection_request,
                          "Do not ask for connection requests: tasks wait for the device's "
                          "periodic sessions");

    acssim::cli::ClientOptions client_options;
    double client_timeout_seconds = 30;
    std::string devices_query;
    auto* devices_command =
        app.add_subcommand("devices", "List the devices a running acs-sim knows, as a table");
    add_client_options(*devices_command, client_options.nbi_url, client_timeout_seconds);
    devices_command->add_option("--query", devices_query,
                                "Only devices matching this NBI query (JSON), e.g. "
                                "'{\"_deviceId._SerialNumber\":\"SN1\"}'");

    std::string device_id;
    std::vector<std::string> paths;
    bool cached = false;
    auto* get_command = app.add_subcommand(
        "get", "Read parameters from a device (getParameterValues task) and print them");
    get_command->add_option("DEVICE", device_id, "Device id (see `acs-sim devices`)")->required();
    get_command->add_option("PATH", paths, "Parameter or object path (ending in '.')")->required();
    get_command->add_flag("--cached", cached, "Print the cached values without asking the device");
    add_client_options(*get_command, client_options.nbi_url, client_timeout_seconds);

    std::vector<std::string> assignments;
    auto* set_command =
        app.add_subcommand("set", "Set parameters on a device (one setParameterValues task)");
    set_command->add_option("DEVICE", device_id, "Device id (see `acs-sim devices`)")->required();
    set_command->add_option("PATH=VALUE", assignments, "Parameter and its new value")->required();
    add_client_options(*set_command, client_options.nbi_url, client_timeout_seconds);

    CLI11_PARSE(app, argc, argv);

    const bool serving = app.get_subcommands().empty() || serve_command->parsed();
    if (!serving) {
        // Reports and tables own stdout; logs go to stderr.
        spdlog::set_default_logger(spdlog::stderr_color_mt("acs-sim"));
    }
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(spdlog::level::from_str(command_line.log_level));
    spdlog::flush_on(spdlog::level::trace);

    if (serving) return serve(command_line);

    client_options.timeout = milliseconds_of(client_timeout_seconds);
    if (run_command->parsed()) {
        auto server_options = make_server_options(command_line);
        // A scenario run leaves nothing behind and does not collide with a
        // simulator already serving the default ports.
        if (app.count("--nbi-listen") == 0) {
            server_options.nbi_listen.port(0);
        }
        if (app.count("--db") == 0) server_options.database_file = ":memory:";
        if (run_timeout_seconds > 0) run_options.timeout = milliseconds_of(run_timeout_seconds);
        run_options.connection_request = !no_connection_request;
        run_options.ready_file = command_line.ready_file;
        return acssim::cli::run_command(run_options, server_options, std::cout, std::cerr);
    }
    if (devices_command->parsed()) {
        return acssim::cli::devices_command(client_options, devices_query, std::cout, std::cerr);
    }
    if (get_command->parsed()) {
        return acssim::cli::get_command(client_options, device_id, paths, cached, std::cout,
                                        std::cerr);
    }
    return acssim::cli::set_command(client_options, device_id, assignments, std::cout, std::cerr);
}
