// cwmp-agent: one process, one io_context, one thread.
#include <spdlog/spdlog.h>
#include <sys/prctl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "agent.hpp"
#include "agent_options.hpp"
#include "connection_request/connection_request_server.hpp"
#include "cwmp/event_codes.hpp"
#include "dhcp/asio_dhcp_client_environment.hpp"
#include "dhcp/dhcpv4_socket_transport.hpp"
#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dhcpv6_socket_transport.hpp"
#include "dhcp_service/dhcpv4_service.hpp"
#include "dhcp_service/dhcpv6_service.hpp"
#include "http/curl_multi_client.hpp"
#include "http/tls_files.hpp"
#include "lifecycle/process_restart.hpp"
#include "local_configuration.hpp"
#include "network/dns_servers_follower.hpp"
#include "network/netlink_configurator.hpp"
#include "network/network_controller.hpp"
#include "transfer/transfer_manager.hpp"
#include "voice/restricted_domains_rule.hpp"
#include "voice/sip_service_controller.hpp"
#include "voice/sip_statistics.hpp"

int main(int argc, char** argv) {
    auto parsed = agent::parse_options(argc, argv, agent::default_definitions_file(),
                                       agent::default_factory_file());
    if (!parsed.options) {
        return parsed.exit_code;
    }
    const agent::AgentOptions& options = *parsed.options;
    spdlog::set_level(spdlog::level::from_str(options.log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

    auto definitions = datamodel::Definitions::load_file(options.definitions_file);
    if (!definitions) {
        spdlog::critical("cannot load definitions {}: {}", definitions.error().file,
                         definitions.error().message);
        return 1;
    }
    // Before anything holds a password: no core file, and no ptrace by
    // other processes of the same user, may copy them out of memory.
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        spdlog::warn("cannot disable core dumps: {}", std::strerror(errno));
    }
    std::error_code ec;
    // Owner-only: the store in it holds the ACS and connection-request
    // passwords, whatever the umask.
    if (std::filesystem::create_directories(options.state_dir, ec) && !ec) {
        std::filesystem::permissions(options.state_dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    }
    if (ec) {
        spdlog::critical("cannot create state folder {}: {}", options.state_dir.string(),
                         ec.message());
        return 1;
    }
    if (!options.factory_file.empty() && !std::filesystem::exists(options.factory_file, ec)) {
        spdlog::critical(
            "factory file {} not found (give --factory FILE, or --factory \"\" to start from "
            "the definitions' defaults only)",
            options.factory_file.string());
        return 1;
    }
    auto shared_definitions =
        std::make_shared<const datamodel::Definitions>(std::move(*definitions));
    const auto store_file = options.state_dir / "store.sqlite";
    auto model = options.factory_file.empty()
                     ? datamodel::Model::open(shared_definitions, store_file)
                     : datamodel::Model::open(shared_definitions, store_file, options.factory_file);
    if (!model) {
        spdlog::critical("cannot open the store in {}: {}", options.state_dir.string(),
                         model.error().message);
        return 1;
    }

    // Rules across parameters hold for every writer, local configuration
    // included.
    agent::voice::register_restricted_domains_rule(**model);

    // Local configuration is applied before the first Inform; a bad value
    // stops the agent instead of running half-configured.
    agent::LocalValues local = options.initial_values;
    if (options.acs_url) {
        local.emplace_back("Device.ManagementServer.URL", *options.acs_url);
    }
    if (auto applied = agent::apply_local_configuration(**model, local); !applied) {
        for (const auto& error : applied.error()) {
            spdlog::critical("local configuration {}: {}", error.path, error.message);
        }
        return 2;
    }

    if (auto usable = agent::http::check_tls_files(options.acs_http); !usable) {
        spdlog::critical("TLS configuration: {}", usable.error());
        return 2;
    }

    boost::asio::io_context io;
    agent::http::CurlMultiClient http(io);
    auto codec = cwmp::make_codec();
    // Reboot and FactoryReset end here: the io_context stops, then the
    // process re-executes itself (see lifecycle/process_restart.hpp).
    const agent::lifecycle::ProcessRestart restart_in_place(argc, argv);
    bool restart_requested = false;
    agent::lifecycle::LifecycleSettings lifecycle;
    lifecycle.reboot_command = options.reboot_command;
    lifecycle.factory_reset_command = options.factory_reset_command;
    lifecycle.restart = [&io, &restart_requested] {
        restart_requested = true;
        io.stop();
    };
    // Before the agent, which refers to it until its end.
    agent::transfer::TransferSettings transfer_settings;
    transfer_settings.files_dir = options.state_dir / "files";
    transfer_settings.firmware_command = options.firmware_command;
    transfer_settings.log_file = options.vendor_log_file;
    transfer_settings.ca_file = options.acs_http.ca_file;
    agent::transfer::TransferManager transfers(io, **model, http, transfer_settings);
    // A new firmware image runs after a restart; "M Download" and its
    // TransferComplete are committed already and go in the first session.
    transfers.on_firmware_installed([&io, &restart_requested] {
        restart_requested = true;
        io.stop();
    });
    agent::Agent agent(io, **model, http, *codec, std::move(lifecycle));
    agent.set_channel_settings(options.acs_http);
    agent.attach_transfers(transfers);

    // Started before the first Inform, so that it carries the URL. A port
    // already taken does not stop the agent: it still informs periodically.
    agent::connection_request::ServerSettings connection_request_settings;
    connection_request_settings.listen = options.cr_listen;
    agent::connection_request::ConnectionRequestServer connection_requests(
        io, **model, connection_request_settings,
        [&agent] { agent.raise(cwmp::event::kConnectionRequest); });
    if (auto started = connection_requests.start(); !started) {
        spdlog::error("{}: connection requests are off", started.error());
    }

    // Device.DNS.Client.Server (or the DHCP lease's servers) is what the ACS
    // client resolves with; empty means the system's resolv.conf.
    agent::network::DnsServersFollower dns_servers(**model);
    dns_servers.add_sink([&http](const std::vector<std::string>& servers) {
        if (auto set = http.resolver().set_servers(servers); !set) {
            spdlog::warn("ACS client: DNS servers not used: {}", set.error().message);
        }
    });
    // The interface is configured before the first Inform goes out.
    std::unique_ptr<agent::network::NetlinkConfigurator> interface_configurator;
    std::optional<agent::network::NetworkController> network;
    // The DHCPv4 client, on the same interface (declared after the network
    // controller it feeds, so destroyed before it).
    std::unique_ptr<agent::dhcp::Dhcpv4SocketTransport> dhcp_transport;
    std::optional<agent::dhcp::AsioDhcpClientEnvironment> dhcp_environment;
    std::optional<agent::dhcp_service::Dhcpv4Service> dhcp_v4;
    std::unique_ptr<agent::dhcp::Dhcpv6SocketTransport> dhcp6_transport;
    std::optional<agent::dhcp_service::Dhcpv6Service> dhcp_v6;
    if (options.interface_name.empty()) {
        spdlog::info(
            "network: no --interface given: the network subsystem is off (addresses, "
            "routes and DHCP are left to the host)");
    } else if (auto opened = agent::network::NetlinkConfigurator::open(options.interface_name);
               !opened) {
        spdlog::error("network: {}: the network subsystem is off", opened.error());
    } else {
        interface_configurator = std::move(*opened);
        network.emplace(**model, *interface_configurator, dns_servers);
        network->start();
        if (auto transport = agent::dhcp::Dhcpv4SocketTransport::create(io, options.interface_name);
            !transport) {
            spdlog::error("DHCP: {}: the DHCPv4 client is off", transport.error().message);
        } else {
            dhcp_transport = std::move(*transport);
            dhcp_environment.emplace(io);
            dhcp_v4.emplace(**model, *network, *dhcp_transport, *dhcp_environment,
                            dhcp_transport->hardware_address());
            dhcp_v4->start();
            // DHCPv6 on the same Ethernet interface, identified by its DUID-LL.
            if (auto transport6 =
                    agent::dhcp::Dhcpv6SocketTransport::create(io, options.interface_name);
                !transport6) {
                spdlog::error("DHCPv6: {}: the DHCPv6 client is off", transport6.error().message);
            } else {
                dhcp6_transport = std::move(*transport6);
                dhcp_v6.emplace(**model, *network, *dhcp6_transport, *dhcp_environment,
                                agent::dhcp::make_duid_ll(dhcp_transport->hardware_address()));
                dhcp_v6->start();
            }
        }
    }

    // The phone's SIP endpoint follows SIP.Network.1.Enable and is
    // reconfigured live on every committed change of the voice service.
    agent::voice::SipServiceOptions sip_options;
    sip_options.bind_address = options.sip_listen;
    sip_options.tls = {options.sip_certificate, options.sip_key, options.sip_ca_file};
    agent::voice::SipServiceController sip_service(io, **model, sip_options);
    if (auto stats = agent::voice::publish_sip_statistics(**model, sip_service.endpoint());
        !stats) {
        spdlog::warn("SIP statistics are not published: {}", stats.error());
    }
    if (dhcp_v4) {
        // DHCP Timeout on Renewal, both ways. dhcp_v4 outlives sip_service
        // only after io.run() returned, when it calls nothing any more.
        sip_service.watch_registrar_silence(*dhcp_v4);
        dhcp_v4->set_sip_reregistration(&sip_service);
    }
    sip_service.start();

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&io, &sip_service](const boost::system::error_code&, int signal) {
        spdlog::info("signal {}: stopping", signal);
        // The registrar's binding goes first, within a bound: a dead
        // registrar must not keep the agent from stopping.
        sip_service.shutdown(std::chrono::seconds(2), [&io] { io.stop(); });
    });

    spdlog::info("cwmp-agent starting: state {}, ACS {}", options.state_dir.string(),
                 (*model)->value("Device.ManagementServer.URL").value_or("(none)"));
    agent.start();
    transfers.start();
    io.run();
    if (restart_requested) {
        spdlog::info("cwmp-agent restarting in place");
        spdlog::critical("{}", restart_in_place.exec());
        return 1;
    }
    return 0;
}
