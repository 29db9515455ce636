// acs-sim: an ACS for testing CWMP agents (see acs-sim/README.md).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>

#include "acs_server.hpp"
#include "command_line.hpp"

int main(int argc, char** argv) {
    CLI::App app{"acs-sim: a TR-069 ACS simulator with a GenieACS-compatible northbound API"};
    acssim::CommandLine command_line;
    acssim::configure_command_line(app, command_line);
    CLI11_PARSE(app, argc, argv);

    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(spdlog::level::from_str(command_line.log_level));
    spdlog::flush_on(spdlog::level::trace);

    acssim::AcsServerOptions options;
    // Both were validated by the command line's checks.
    options.cwmp_listen = *acssim::parse_listen_address(command_line.cwmp_listen);
    options.nbi_listen = *acssim::parse_listen_address(command_line.nbi_listen);
    options.database_file = command_line.database_file;

    acssim::AcsServer server(options);
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
            acssim::ready_file_content(server.cwmp_endpoint(), server.nbi_endpoint(), ::getpid());
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
