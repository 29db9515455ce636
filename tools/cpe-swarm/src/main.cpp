// cpe-swarm: N virtual CPEs doing CWMP sessions against an ACS (README.md).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cmath>
#include <iostream>

#include "swarm.hpp"

namespace {

std::chrono::milliseconds milliseconds_of(double seconds) {
    return std::chrono::milliseconds{static_cast<long long>(std::llround(seconds * 1000))};
}

// http://HOST:PORT/PATH -> the ACS target; HOST resolved once, here.
bool parse_acs_url(const std::string& url, swarm::AcsTarget& acs, std::string& problem) {
    constexpr std::string_view kScheme = "http://";
    if (!url.starts_with(kScheme)) {
        problem = "--acs must be an http:// URL (cpe-swarm does not speak TLS), got " + url;
        return false;
    }
    const std::string rest = url.substr(kScheme.size());
    const auto slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    acs.target = slash == std::string::npos ? "/" : rest.substr(slash);
    std::string host = authority;
    std::string port = "80";
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string::npos) {
            problem = "unterminated [IPv6] address in " + url;
            return false;
        }
        host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            port = authority.substr(close + 2);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) {
        problem = "no host in " + url;
        return false;
    }
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::system::error_code error;
    const auto results = resolver.resolve(host, port, error);
    if (error || results.empty()) {
        problem = fmt::format("cannot resolve {}:{}: {}", host, port, error.message());
        return false;
    }
    acs.endpoint = results.begin()->endpoint();
    acs.host = authority;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cpe-swarm: virtual CPEs doing CWMP Inform sessions against an ACS"};
    std::string acs_url = "http://127.0.0.1:7547/";
    swarm::SwarmOptions options;
    double duration_seconds = 10;
    double pause_seconds = 0;
    double timeout_seconds = 10;
    app.add_option("--acs", acs_url, "The ACS's CWMP URL")->capture_default_str();
    app.add_option("--devices", options.devices, "Virtual devices (distinct serial numbers)")
        ->check(CLI::Range(1u, 1000000u))
        ->capture_default_str();
    app.add_option("--concurrency", options.concurrency,
                   "Sessions in flight at once (0: one per device)")
        ->check(CLI::Range(0u, 100000u))
        ->capture_default_str();
    app.add_option("--threads", options.threads, "I/O threads, each with its own codec")
        ->check(CLI::Range(1u, 64u))
        ->capture_default_str();
    app.add_option("--duration", duration_seconds, "Stop starting sessions after this many seconds")
        ->check(CLI::Range(0.1, 3600.0))
        ->capture_default_str();
    app.add_option("--rounds", options.rounds,
                   "Sessions per device, then stop (0: until --duration is over)")
        ->check(CLI::Range(0u, 1000000u))
        ->capture_default_str();
    app.add_option("--pause", pause_seconds, "Seconds a worker waits between its sessions")
        ->check(CLI::Range(0.0, 3600.0))
        ->capture_default_str();
    app.add_option("--timeout", timeout_seconds, "Seconds for each request and its response")
        ->check(CLI::Range(0.1, 600.0))
        ->capture_default_str();
    app.add_option("--serial-prefix", options.identity.serial_prefix,
                   "Serial numbers are PREFIX000000, PREFIX000001, ...")
        ->capture_default_str();
    app.add_option("--oui", options.identity.oui, "OUI of every device")->capture_default_str();
    app.add_option("--product-class", options.identity.product_class,
                   "ProductClass of every device")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    std::string problem;
    if (!parse_acs_url(acs_url, options.acs, problem)) {
        std::cerr << "cpe-swarm: " << problem << '\n';
        return 2;
    }
    options.duration = milliseconds_of(duration_seconds);
    options.pause = milliseconds_of(pause_seconds);
    options.acs.timeout = milliseconds_of(timeout_seconds);

    const unsigned concurrency = options.concurrency == 0 ? options.devices : options.concurrency;
    std::cout << fmt::format(
                     "cpe-swarm: {} devices, {} concurrent, {} threads, against {} for at most "
                     "{:.1f} s{}\n",
                     options.devices, std::min(concurrency, options.devices), options.threads,
                     acs_url, duration_seconds,
                     options.rounds == 0 ? "" : fmt::format(" or {} rounds", options.rounds))
              << std::flush;
    const auto report = swarm::run_swarm(options);
    const double rate =
        report.seconds > 0 ? static_cast<double>(report.sessions) / report.seconds : 0;
    std::cout << fmt::format(
        "sessions {} failed {} in {:.2f} s: {:.0f} sessions/s; latency ms p50 {:.1f} p90 {:.1f} "
        "p99 {:.1f} max {:.1f}\n",
        report.sessions, report.failures, report.seconds, rate, report.p50_ms, report.p90_ms,
        report.p99_ms, report.max_ms);
    for (const auto& [message, count] : report.failure_kinds) {
        std::cout << fmt::format("  failure x{}: {}\n", count, message);
    }
    // One machine-readable line for scripts.
    std::cout << fmt::format(
        "RESULT {{\"devices\": {}, \"concurrency\": {}, \"threads\": {}, \"sessions\": {}, "
        "\"failures\": {}, \"seconds\": {:.3f}, \"sessions_per_second\": {:.1f}, "
        "\"p50_ms\": {:.2f}, \"p99_ms\": {:.2f}}}\n",
        options.devices, std::min(concurrency, options.devices), options.threads, report.sessions,
        report.failures, report.seconds, rate, report.p50_ms, report.p99_ms);
    return report.sessions > 0 && report.failures == 0 ? 0 : 1;
}
