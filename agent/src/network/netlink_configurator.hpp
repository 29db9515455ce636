// The InterfaceConfigurator of a Linux interface, on rtnetlink through
// libnl-route-3.
//
// Netlink requests are answered by the kernel at once (no network traffic),
// so they run on the agent's io_context thread; they are issued only when a
// configuration is applied or the state is read, never from a hot loop.
//
// Ownership: the configurator removes only the addresses and default routes
// it added itself. Documented exception: an address or default route that
// already exists exactly as wanted (e.g. left by the agent's previous run) is
// adopted, and so removed when it is no longer wanted. Routes are added with
// protocol "static" in the main table.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "network/interface_configurator.hpp"

struct nl_sock;

namespace agent::network {

class NetlinkConfigurator final : public InterfaceConfigurator {
public:
    // Opens a NETLINK_ROUTE socket; the error names the reason. The
    // interface need not exist yet: apply() and read_state() look it up.
    static phonecwmp::Expected<std::unique_ptr<NetlinkConfigurator>, std::string> open(
        std::string interface_name);
    ~NetlinkConfigurator() override;
    NetlinkConfigurator(const NetlinkConfigurator&) = delete;
    NetlinkConfigurator& operator=(const NetlinkConfigurator&) = delete;

    phonecwmp::Expected<void, std::string> apply(const DesiredConfiguration& desired) override;
    phonecwmp::Expected<InterfaceState, std::string> read_state() override;
    const std::string& interface_name() const override { return interface_name_; }

private:
    NetlinkConfigurator(std::string interface_name, nl_sock* socket);

    phonecwmp::Expected<int, std::string> interface_index();
    phonecwmp::Expected<void, std::string> set_link_up(int index, bool up);
    phonecwmp::Expected<void, std::string> change_address(int index,
                                                          const InterfaceAddress& address,
                                                          bool add);
    phonecwmp::Expected<void, std::string> change_default_route(
        int index, const boost::asio::ip::address& gateway, bool add);
    // A default route in the main table via `gateway` on this interface.
    bool default_route_exists(int index, const boost::asio::ip::address& gateway);

    std::string interface_name_;
    nl_sock* socket_;
    std::set<InterfaceAddress> added_addresses_;
    std::set<boost::asio::ip::address> added_gateways_;
};

}  // namespace agent::network
