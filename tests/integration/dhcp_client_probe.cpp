// Runs the agent's DHCPv4 client, or with --v6 its DHCPv6 client (the real
// state machine on the real sockets) on one interface and prints each event
// as a JSON line on stdout, with the ACS discovery of the lease. Exits after --events events (0) or
// at
// --timeout (2); releases the lease on the way out unless --no-release.
// Driven by tests/integration/test_dhcp_client.py inside network namespaces.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "dhcp/acs_discovery.hpp"
#include "dhcp/asio_dhcp_client_environment.hpp"
#include "dhcp/dhcpv4_client.hpp"
#include "dhcp/dhcpv4_socket_transport.hpp"
#include "dhcp/dhcpv6_client.hpp"
#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dhcpv6_socket_transport.hpp"

namespace {

using namespace agent::dhcp;

std::string hex_of(const Bytes* data) {
    if (data == nullptr) return {};
    std::string text;
    for (std::uint8_t byte : *data) text += fmt::format("{:02x}", byte);
    return text;
}

nlohmann::json addresses(const std::vector<address_v4>& list) {
    auto array = nlohmann::json::array();
    for (const auto& address : list) array.push_back(address.to_string());
    return array;
}

nlohmann::json describe(const Dhcpv4ClientEvent& event,
                        const std::vector<std::uint8_t>& requested_options,
                        std::chrono::milliseconds elapsed) {
    nlohmann::json line;
    line["event"] = to_string(event.kind);
    line["elapsed_ms"] = elapsed.count();
    line["address"] = event.lease.address.to_string();
    line["subnet_mask"] = event.lease.subnet_mask.to_string();
    line["server"] = event.lease.server_identifier.to_string();
    line["lease_time"] = event.lease.lease_time;
    line["renewal_time"] = event.lease.renewal_time;
    line["rebinding_time"] = event.lease.rebinding_time;
    line["routers"] = addresses(event.lease.routers);
    line["dns_servers"] = addresses(event.lease.dns_servers);
    if (event.previous_address) line["previous_address"] = event.previous_address->to_string();
    if (!event.reason.empty()) line["reason"] = event.reason;
    if (event.kind == Dhcpv4ClientEventKind::Lost) return line;

    line["option43"] = hex_of(event.reply.find(dhcpv4_option::kVendorSpecific));
    line["option125"] = hex_of(event.reply.find(dhcpv4_option::kVendorIdentifyingSpecific));
    auto discovered = discover_acs(event.reply, requested_options);
    if (!discovered) {
        line["acs_error"] = discovered.error().message;
        return line;
    }
    line["acs_ignored"] = discovered->ignored;
    if (discovered->acs) {
        const AcsDiscovery& acs = *discovered->acs;
        nlohmann::json found{{"source", to_string(acs.source)}, {"url", acs.url}};
        if (acs.provisioning_code) found["provisioning_code"] = *acs.provisioning_code;
        if (acs.retry_minimum_wait_interval) {
            found["retry_minimum_wait_interval"] = *acs.retry_minimum_wait_interval;
        }
        if (acs.retry_interval_multiplier) {
            found["retry_interval_multiplier"] = *acs.retry_interval_multiplier;
        }
        line["acs"] = found;
    } else {
        line["acs"] = nullptr;
    }
    if (discovered->gateway) {
        line["gateway"] = {{"manufacturer_oui", discovered->gateway->manufacturer_oui},
                           {"serial_number", discovered->gateway->serial_number},
                           {"product_class", discovered->gateway->product_class}};
    }
    return line;
}

nlohmann::json addresses(const std::vector<address_v6>& list) {
    auto array = nlohmann::json::array();
    for (const auto& address : list) array.push_back(address.to_string());
    return array;
}

nlohmann::json describe(const Dhcpv6ClientEvent& event, std::chrono::milliseconds elapsed) {
    nlohmann::json line;
    line["event"] = to_string(event.kind);
    line["elapsed_ms"] = elapsed.count();
    auto leased = nlohmann::json::array();
    for (const auto& address : event.lease.addresses) {
        leased.push_back({{"address", address.address.to_string()},
                          {"preferred_lifetime", address.preferred_lifetime},
                          {"valid_lifetime", address.valid_lifetime}});
    }
    line["addresses"] = leased;
    line["address"] = event.lease.addresses.empty()
                          ? std::string()
                          : event.lease.addresses.front().address.to_string();
    line["server_duid"] = hex_of(&event.lease.server_duid);
    line["renewal_time"] = event.lease.renewal_time;
    line["rebinding_time"] = event.lease.rebinding_time;
    line["dns_servers"] = addresses(event.lease.dns_servers);
    line["ntp_servers"] = addresses(event.lease.ntp_servers);
    line["ignored"] = event.lease.ignored;
    if (event.previous_address) line["previous_address"] = event.previous_address->to_string();
    if (!event.reason.empty()) line["reason"] = event.reason;
    if (event.kind == Dhcpv6ClientEventKind::Lost) return line;

    line["option17"] = hex_of(event.reply.find(dhcpv6_option::kVendorOptions));
    auto discovered = parse_acs_dhcpv6(event.reply);
    if (!discovered) {
        line["acs_error"] = discovered.error().message;
    } else if (*discovered) {
        const AcsDiscovery& acs = **discovered;
        nlohmann::json found{{"source", to_string(acs.source)}, {"url", acs.url}};
        if (acs.provisioning_code) found["provisioning_code"] = *acs.provisioning_code;
        if (acs.retry_minimum_wait_interval) {
            found["retry_minimum_wait_interval"] = *acs.retry_minimum_wait_interval;
        }
        if (acs.retry_interval_multiplier) {
            found["retry_interval_multiplier"] = *acs.retry_interval_multiplier;
        }
        line["acs"] = found;
    } else {
        line["acs"] = nullptr;
    }
    return line;
}

struct ProbeOptions {
    std::string interface;
    unsigned wanted_events = 1;
    unsigned timeout_seconds = 30;
    bool without_vendor_class = false;
    bool no_release = false;
    bool decline_first = false;
};

// Stops `io` at the deadline or on SIGINT/SIGTERM; reports whether the
// deadline ended it.
class ProbeDeadline {
public:
    ProbeDeadline(boost::asio::io_context& io, unsigned timeout_seconds)
        : timer_(io, std::chrono::seconds(timeout_seconds)), signals_(io, SIGINT, SIGTERM) {
        timer_.async_wait([this, &io](const boost::system::error_code& error) {
            if (error) return;
            timed_out_ = true;
            io.stop();
        });
        signals_.async_wait([&io](const boost::system::error_code& error, int) {
            if (!error) io.stop();
        });
    }
    bool timed_out() const { return timed_out_; }

private:
    boost::asio::steady_timer timer_;
    boost::asio::signal_set signals_;
    bool timed_out_ = false;
};

int run_dhcpv6(const ProbeOptions& options) {
    boost::asio::io_context io;
    // Only for the DUID-LL: this reads the hardware address, opens no socket.
    auto link = Dhcpv4SocketTransport::create(io, options.interface);
    if (!link) {
        std::cerr << "dhcp_client_probe: " << link.error().message << '\n';
        return 1;
    }
    auto transport = Dhcpv6SocketTransport::create(io, options.interface);
    if (!transport) {
        std::cerr << "dhcp_client_probe: " << transport.error().message << '\n';
        return 1;
    }
    Dhcpv6ClientSettings settings;
    settings.identity.duid = make_duid_ll((*link)->hardware_address());
    if (options.without_vendor_class) settings.identity.vendor_class.clear();
    // A probe in a fresh namespace need not wait out SOL_MAX_DELAY.
    settings.solicit_max_delay = std::chrono::milliseconds(0);
    if (auto valid = Dhcpv6Client::validate(settings); !valid) {
        std::cerr << "dhcp_client_probe: " << valid.error().message << '\n';
        return 1;
    }

    AsioDhcpClientEnvironment environment(io);
    const auto started = std::chrono::steady_clock::now();
    unsigned seen_events = 0;
    Dhcpv6Client client(settings, **transport, environment, [&](const Dhcpv6ClientEvent& event) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        std::cout << describe(event, elapsed).dump() << std::endl;
        if (++seen_events >= options.wanted_events) {
            io.stop();
            return;
        }
        if (options.decline_first && seen_events == 1 &&
            event.kind != Dhcpv6ClientEventKind::Lost) {
            boost::asio::post(io, [&client] { client.decline("declined by dhcp_client_probe"); });
        }
    });
    ProbeDeadline deadline(io, options.timeout_seconds);
    client.start();
    io.run();

    const bool had_lease = client.lease().has_value();
    const std::string final_state = to_string(client.state());
    if (!options.no_release) client.stop();
    // The RELEASE is sent synchronously by stop(); nothing is left to run.
    std::cout << nlohmann::json{{"event", "exit"},
                                {"state", final_state},
                                {"released", had_lease && !options.no_release},
                                {"timed_out", deadline.timed_out()}}
                     .dump()
              << std::endl;
    return deadline.timed_out() ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Run the phonecwmp DHCPv4 client on an interface and print its events"};
    std::string interface;
    unsigned wanted_events = 1;
    unsigned timeout_seconds = 30;
    bool without_vendor_class = false;
    bool no_release = false;
    bool decline_first = false;
    std::string remembered;
    std::string log_level = "warn";
    bool v6 = false;
    app.add_flag("--v6", v6, "run the DHCPv6 client (IA_NA, option 17 discovery) instead");
    app.add_option("--interface", interface, "Ethernet interface")->required();
    app.add_option("--events", wanted_events, "exit after this many events")
        ->check(CLI::Range(1U, 100U));
    app.add_option("--timeout", timeout_seconds, "give up after this many seconds")
        ->check(CLI::Range(1U, 3600U));
    app.add_flag("--no-vendor-class", without_vendor_class,
                 "send no option 60 (dslforum.org) and no option 125 (v6: no option 16)");
    app.add_flag("--no-release", no_release, "exit without DHCPRELEASE");
    app.add_flag("--decline-first", decline_first,
                 "DHCPDECLINE the first lease, as if the address were in use");
    app.add_option("--remembered", remembered, "start in INIT-REBOOT with this address");
    app.add_option("--log-level", log_level, "spdlog level (stderr)");
    CLI11_PARSE(app, argc, argv);

    spdlog::set_default_logger(spdlog::stderr_color_mt("dhcp-probe"));
    spdlog::set_level(spdlog::level::from_str(log_level));

    if (v6) {
        if (!remembered.empty()) {
            std::cerr << "dhcp_client_probe: --remembered is a DHCPv4 option\n";
            return 1;
        }
        return run_dhcpv6(ProbeOptions{interface, wanted_events, timeout_seconds,
                                       without_vendor_class, no_release, decline_first});
    }

    boost::asio::io_context io;
    auto transport = Dhcpv4SocketTransport::create(io, interface);
    if (!transport) {
        std::cerr << "dhcp_client_probe: " << transport.error().message << '\n';
        return 1;
    }
    Dhcpv4ClientSettings settings;
    settings.identity.hardware_address = (*transport)->hardware_address();
    settings.identity.serial_number = "PROBE0001";
    settings.identity.manufacturer_oui = "00D0CA";
    settings.identity.product_class = "SIPPhone";
    if (without_vendor_class) {
        settings.identity.vendor_class.clear();
        settings.identity.serial_number.clear();
        settings.identity.manufacturer_oui.clear();
        settings.identity.product_class.clear();
    }
    if (!remembered.empty()) {
        boost::system::error_code error;
        const auto address = boost::asio::ip::make_address_v4(remembered, error);
        if (error) {
            std::cerr << "dhcp_client_probe: --remembered " << remembered << ": " << error.message()
                      << '\n';
            return 1;
        }
        settings.remembered_address = address;
    }
    if (auto valid = Dhcpv4Client::validate(settings); !valid) {
        std::cerr << "dhcp_client_probe: " << valid.error().message << '\n';
        return 1;
    }

    AsioDhcpClientEnvironment environment(io);
    const auto started = std::chrono::steady_clock::now();
    unsigned seen_events = 0;
    const auto requested = settings.identity.requested_options;
    Dhcpv4Client client(settings, **transport, environment, [&](const Dhcpv4ClientEvent& event) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        std::cout << describe(event, requested, elapsed).dump() << std::endl;
        if (++seen_events >= wanted_events) {
            io.stop();
            return;
        }
        if (decline_first && seen_events == 1 && event.kind != Dhcpv4ClientEventKind::Lost) {
            // After the handler: the client is still reporting this event.
            boost::asio::post(io, [&client] { client.decline("declined by dhcp_client_probe"); });
        }
    });

    ProbeDeadline deadline(io, timeout_seconds);
    client.start();
    io.run();
    const bool timed_out = deadline.timed_out();

    const bool had_lease = client.lease().has_value();
    const std::string final_state = to_string(client.state());
    if (!no_release) client.stop();
    std::cout << nlohmann::json{{"event", "exit"},
                                {"state", final_state},
                                {"released", had_lease && !no_release},
                                {"timed_out", timed_out}}
                     .dump()
              << std::endl;
    return timed_out ? 2 : 0;
}
