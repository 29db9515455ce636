#include "cli/run_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "cli/nbi_client.hpp"
#include "command_line.hpp"
#include "scenario/nbi_inform_source.hpp"
#include "scenario/registry_inform_source.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario/scenario_runner.hpp"

namespace acssim::cli {

namespace {

constexpr int kPassed = 0;
constexpr int kFailed = 1;
constexpr int kMalformed = 2;
constexpr int kCannotStart = 3;

std::string url_of(const boost::asio::ip::tcp::endpoint& endpoint) {
    const auto host = endpoint.address().to_string();
    return endpoint.address().is_v6() ? fmt::format("http://[{}]:{}", host, endpoint.port())
                                      : fmt::format("http://{}:{}", host, endpoint.port());
}

HttpClientLimits runner_limits() {
    // A connection request keeps the NBI's answer until the session starts.
    HttpClientLimits limits;
    limits.timeout = std::chrono::milliseconds{30000};
    return limits;
}

int run_scenario(const scenario::Scenario& scenario, NbiClient& nbi,
                 scenario::InformSource& informs, const RunCommandOptions& options,
                 std::ostream& out) {
    scenario::RunnerOptions runner_options;
    runner_options.connection_request = options.connection_request;
    scenario::ScenarioRunner runner(nbi, informs, out, runner_options);
    return runner.run(scenario).passed ? kPassed : kFailed;
}

// Stops the in-process simulator and waits for its thread, whatever happens.
class InProcessServer {
public:
    explicit InProcessServer(const AcsServerOptions& options) : server_(options) {}
    ~InProcessServer() {
        if (thread_.joinable()) {
            server_.stop();
            thread_.join();
        }
    }
    InProcessServer(const InProcessServer&) = delete;
    InProcessServer& operator=(const InProcessServer&) = delete;

    phonecwmp::Expected<void, std::string> start() {
        auto started = server_.start();
        if (!started) return started;
        thread_ = std::thread([this] { server_.run(); });
        return {};
    }
    AcsServer& server() { return server_; }

private:
    AcsServer server_;
    std::thread thread_;
};

}  // namespace

int run_command(const RunCommandOptions& options, const AcsServerOptions& server_options,
                std::ostream& out, std::ostream& err) {
    auto scenario = scenario::load_scenario_file(options.scenario_file);
    if (!scenario) {
        err << "acs-sim run: malformed scenario: " << scenario.error() << '\n';
        return kMalformed;
    }
    if (options.timeout) scenario->total_timeout = *options.timeout;

    if (!options.nbi_url.empty()) {
        if (auto valid = NbiClient::check_base_url(options.nbi_url); !valid) {
            err << "acs-sim run: " << valid.error() << '\n';
            return kMalformed;
        }
        NbiClient nbi(options.nbi_url, runner_limits());
        scenario::NbiInformSource informs(nbi);
        return run_scenario(*scenario, nbi, informs, options, out);
    }

    InProcessServer in_process(server_options);
    if (auto started = in_process.start(); !started) {
        err << "acs-sim run: cannot start the simulator: " << started.error() << '\n';
        return kCannotStart;
    }
    auto& server = in_process.server();
    out << fmt::format("acs-sim in-process: CPEs inform {}/, NBI {}\n",
                       url_of(server.cwmp_endpoint()), url_of(server.nbi_endpoint()))
        << std::flush;
    if (!options.ready_file.empty()) {
        const auto content =
            ready_file_content(server.cwmp_endpoint(), server.nbi_endpoint(), ::getpid(),
                               server.cwmp_tls(), server.fs_endpoint());
        if (auto written = write_file_atomically(options.ready_file, content); !written) {
            err << "acs-sim run: ready file: " << written.error() << '\n';
            return kCannotStart;
        }
    }
    NbiClient nbi(url_of(server.nbi_endpoint()), runner_limits());
    scenario::RegistryInformSource informs(server.io_context(), server.registry());
    const int status = run_scenario(*scenario, nbi, informs, options, out);
    if (!options.ready_file.empty()) std::remove(options.ready_file.c_str());
    return status;
}

}  // namespace acssim::cli
