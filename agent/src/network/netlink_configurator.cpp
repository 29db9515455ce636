#include "network/netlink_configurator.hpp"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <array>
#include <optional>

namespace agent::network {
namespace {

using boost::asio::ip::address;

template <class T, void (*Free)(T*)>
struct Freer {
    void operator()(T* object) const { Free(object); }
};
using NlAddr = std::unique_ptr<nl_addr, Freer<nl_addr, nl_addr_put>>;
using RtnlAddr = std::unique_ptr<rtnl_addr, Freer<rtnl_addr, rtnl_addr_put>>;
using RtnlLink = std::unique_ptr<rtnl_link, Freer<rtnl_link, rtnl_link_put>>;
using RtnlRoute = std::unique_ptr<rtnl_route, Freer<rtnl_route, rtnl_route_put>>;
using NlCache = std::unique_ptr<nl_cache, Freer<nl_cache, nl_cache_free>>;

std::string failure(const std::string& operation, int error) {
    return operation + ": " + nl_geterror(error);
}

// libnl owns the binary form; Asio's byte arrays give it the right size.
NlAddr to_nl(const address& ip, std::uint8_t prefix_length) {
    nl_addr* built = nullptr;
    if (ip.is_v4()) {
        const auto bytes = ip.to_v4().to_bytes();
        built = nl_addr_build(AF_INET, bytes.data(), bytes.size());
    } else {
        const auto bytes = ip.to_v6().to_bytes();
        built = nl_addr_build(AF_INET6, bytes.data(), bytes.size());
    }
    if (built != nullptr) {
        nl_addr_set_prefixlen(built, prefix_length);
    }
    return NlAddr(built);
}

std::optional<address> from_nl(nl_addr* nl) {
    if (nl == nullptr) {
        return std::nullopt;
    }
    const auto* data = static_cast<const unsigned char*>(nl_addr_get_binary_addr(nl));
    const auto length = nl_addr_get_len(nl);
    if (nl_addr_get_family(nl) == AF_INET && length == 4) {
        boost::asio::ip::address_v4::bytes_type bytes{};
        std::copy(data, data + 4, bytes.begin());
        return address(boost::asio::ip::address_v4(bytes));
    }
    if (nl_addr_get_family(nl) == AF_INET6 && length == 16) {
        boost::asio::ip::address_v6::bytes_type bytes{};
        std::copy(data, data + 16, bytes.begin());
        return address(boost::asio::ip::address_v6(bytes));
    }
    return std::nullopt;
}

}  // namespace

phonecwmp::Expected<std::unique_ptr<NetlinkConfigurator>, std::string> NetlinkConfigurator::open(
    std::string interface_name) {
    if (interface_name.empty() || interface_name.size() >= IFNAMSIZ) {
        return phonecwmp::Unexpected<std::string>("interface name \"" + interface_name +
                                                  "\" is empty or longer than " +
                                                  std::to_string(IFNAMSIZ - 1) + " characters");
    }
    nl_sock* socket = nl_socket_alloc();
    if (socket == nullptr) {
        return phonecwmp::Unexpected<std::string>("netlink socket: out of memory");
    }
    if (int error = nl_connect(socket, NETLINK_ROUTE); error < 0) {
        nl_socket_free(socket);
        return phonecwmp::Unexpected<std::string>(failure("connect NETLINK_ROUTE", error));
    }
    return std::unique_ptr<NetlinkConfigurator>(
        new NetlinkConfigurator(std::move(interface_name), socket));
}

NetlinkConfigurator::NetlinkConfigurator(std::string interface_name, nl_sock* socket)
    : interface_name_(std::move(interface_name)), socket_(socket) {}

NetlinkConfigurator::~NetlinkConfigurator() {
    nl_socket_free(socket_);
}

phonecwmp::Expected<int, std::string> NetlinkConfigurator::interface_index() {
    rtnl_link* found = nullptr;
    if (int error = rtnl_link_get_kernel(socket_, 0, interface_name_.c_str(), &found); error < 0) {
        return phonecwmp::Unexpected<std::string>(
            failure("look up interface " + interface_name_, error));
    }
    RtnlLink link(found);
    return rtnl_link_get_ifindex(link.get());
}

phonecwmp::Expected<void, std::string> NetlinkConfigurator::set_link_up(int index, bool up) {
    rtnl_link* found = nullptr;
    if (int error = rtnl_link_get_kernel(socket_, index, nullptr, &found); error < 0) {
        return phonecwmp::Unexpected<std::string>(
            failure("look up interface " + interface_name_, error));
    }
    RtnlLink current(found);
    if (((rtnl_link_get_flags(current.get()) & IFF_UP) != 0) == up) {
        return {};
    }
    RtnlLink change(rtnl_link_alloc());
    if (up) {
        rtnl_link_set_flags(change.get(), IFF_UP);
    } else {
        rtnl_link_unset_flags(change.get(), IFF_UP);
    }
    if (int error = rtnl_link_change(socket_, current.get(), change.get(), 0); error < 0) {
        return phonecwmp::Unexpected<std::string>(failure(
            std::string("set interface ") + interface_name_ + (up ? " up" : " down"), error));
    }
    return {};
}

phonecwmp::Expected<void, std::string> NetlinkConfigurator::change_address(
    int index, const InterfaceAddress& wanted, bool add) {
    const std::string operation =
        (add ? "add address " : "remove address ") + to_string(wanted) + " on " + interface_name_;
    RtnlAddr request(rtnl_addr_alloc());
    NlAddr local = to_nl(wanted.address, wanted.prefix_length);
    if (!request || !local) {
        return phonecwmp::Unexpected<std::string>(operation + ": out of memory");
    }
    rtnl_addr_set_ifindex(request.get(), index);
    rtnl_addr_set_local(request.get(), local.get());
    rtnl_addr_set_prefixlen(request.get(), wanted.prefix_length);
    if (wanted.address.is_v4() && wanted.prefix_length < 31) {
        const std::uint32_t host_bits = wanted.prefix_length == 0
                                            ? ~std::uint32_t{0}
                                            : ~(~std::uint32_t{0} << (32U - wanted.prefix_length));
        const boost::asio::ip::address_v4 broadcast(wanted.address.to_v4().to_uint() | host_bits);
        NlAddr nl_broadcast = to_nl(address(broadcast), 32);
        rtnl_addr_set_broadcast(request.get(), nl_broadcast.get());
    }
    const int error = add ? rtnl_addr_add(socket_, request.get(), 0)
                          : rtnl_addr_delete(socket_, request.get(), 0);
    if (add && error == -NLE_EXIST) {
        spdlog::info("network: {} already present: adopted", to_string(wanted));
        return {};
    }
    if (!add && (error == -NLE_NOADDR || error == -NLE_OBJ_NOTFOUND || error == -NLE_NODEV)) {
        return {};  // already gone: the wanted state is reached
    }
    if (error < 0) {
        return phonecwmp::Unexpected<std::string>(failure(operation, error));
    }
    return {};
}

phonecwmp::Expected<void, std::string> NetlinkConfigurator::change_default_route(
    int index, const address& gateway, bool add) {
    const std::string operation = (add ? "add default route via " : "remove default route via ") +
                                  gateway.to_string() + " on " + interface_name_;
    const int family = gateway.is_v4() ? AF_INET : AF_INET6;
    RtnlRoute route(rtnl_route_alloc());
    NlAddr destination = to_nl(gateway.is_v4() ? address(boost::asio::ip::address_v4::any())
                                               : address(boost::asio::ip::address_v6::any()),
                               0);
    NlAddr via = to_nl(gateway, gateway.is_v4() ? 32 : 128);
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    if (!route || !destination || !via || hop == nullptr) {
        if (hop != nullptr) {
            rtnl_route_nh_free(hop);
        }
        return phonecwmp::Unexpected<std::string>(operation + ": out of memory");
    }
    rtnl_route_set_family(route.get(), static_cast<std::uint8_t>(family));
    rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
    rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
    rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
    rtnl_route_set_type(route.get(), RTN_UNICAST);
    rtnl_route_set_dst(route.get(), destination.get());
    rtnl_route_nh_set_ifindex(hop, index);
    rtnl_route_nh_set_gateway(hop, via.get());
    rtnl_route_add_nexthop(route.get(), hop);  // the route owns it now
    const int error = add ? rtnl_route_add(socket_, route.get(), NLM_F_EXCL)
                          : rtnl_route_delete(socket_, route.get(), 0);
    if (add && error == -NLE_EXIST) {
        if (default_route_exists(index, gateway)) {
            spdlog::info("network: default route via {} already present: adopted",
                         gateway.to_string());
            return {};
        }
        // Another default route, which is not ours to replace.
        return phonecwmp::Unexpected<std::string>(
            failure(operation + " (another default route is in the way)", error));
    }
    if (!add && error == -NLE_OBJ_NOTFOUND) {
        return {};
    }
    if (error < 0) {
        return phonecwmp::Unexpected<std::string>(failure(operation, error));
    }
    return {};
}

bool NetlinkConfigurator::default_route_exists(int index, const address& gateway) {
    nl_cache* raw_cache = nullptr;
    if (rtnl_route_alloc_cache(socket_, gateway.is_v4() ? AF_INET : AF_INET6, 0, &raw_cache) < 0) {
        return false;
    }
    NlCache cache(raw_cache);
    for (nl_object* object = nl_cache_get_first(cache.get()); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* route = reinterpret_cast<rtnl_route*>(object);
        nl_addr* destination = rtnl_route_get_dst(route);
        if (rtnl_route_get_table(route) != RT_TABLE_MAIN ||
            (destination != nullptr && nl_addr_get_prefixlen(destination) != 0) ||
            rtnl_route_get_nnexthops(route) != 1) {
            continue;
        }
        rtnl_nexthop* hop = rtnl_route_nexthop_n(route, 0);
        if (rtnl_route_nh_get_ifindex(hop) == index &&
            from_nl(rtnl_route_nh_get_gateway(hop)) == gateway) {
            return true;
        }
    }
    return false;
}

phonecwmp::Expected<void, std::string> NetlinkConfigurator::apply(
    const DesiredConfiguration& desired) {
    auto index = interface_index();
    if (!index) {
        return phonecwmp::Unexpected<std::string>(index.error());
    }
    std::set<InterfaceAddress> wanted_addresses(desired.addresses.begin(), desired.addresses.end());
    std::set<address> wanted_gateways;
    if (desired.ipv4_gateway) {
        wanted_gateways.insert(address(*desired.ipv4_gateway));
    }
    if (desired.ipv6_gateway) {
        wanted_gateways.insert(address(*desired.ipv6_gateway));
    }

    // Routes first: a gateway may stop being reachable once its address goes.
    for (auto it = added_gateways_.begin(); it != added_gateways_.end();) {
        if (wanted_gateways.contains(*it)) {
            ++it;
            continue;
        }
        if (auto removed = change_default_route(*index, *it, false); !removed) {
            return removed;
        }
        it = added_gateways_.erase(it);
    }
    for (auto it = added_addresses_.begin(); it != added_addresses_.end();) {
        if (wanted_addresses.contains(*it)) {
            ++it;
            continue;
        }
        if (auto removed = change_address(*index, *it, false); !removed) {
            return removed;
        }
        it = added_addresses_.erase(it);
    }
    if (auto link = set_link_up(*index, desired.link_up); !link) {
        return link;
    }
    if (!desired.link_up) {
        return {};
    }
    for (const auto& wanted : wanted_addresses) {
        if (added_addresses_.contains(wanted)) {
            continue;
        }
        if (auto added = change_address(*index, wanted, true); !added) {
            return added;
        }
        added_addresses_.insert(wanted);
    }
    for (const auto& gateway : wanted_gateways) {
        if (added_gateways_.contains(gateway)) {
            continue;
        }
        if (auto added = change_default_route(*index, gateway, true); !added) {
            return added;
        }
        added_gateways_.insert(gateway);
    }
    return {};
}

phonecwmp::Expected<InterfaceState, std::string> NetlinkConfigurator::read_state() {
    rtnl_link* found = nullptr;
    if (int error = rtnl_link_get_kernel(socket_, 0, interface_name_.c_str(), &found); error < 0) {
        return phonecwmp::Unexpected<std::string>(
            failure("look up interface " + interface_name_, error));
    }
    RtnlLink link(found);
    InterfaceState state;
    const unsigned flags = rtnl_link_get_flags(link.get());
    state.link_up = (flags & IFF_UP) != 0;
    state.carrier = rtnl_link_get_carrier(link.get()) != 0;
    const int index = rtnl_link_get_ifindex(link.get());

    nl_cache* raw_cache = nullptr;
    if (int error = rtnl_addr_alloc_cache(socket_, &raw_cache); error < 0) {
        return phonecwmp::Unexpected<std::string>(failure("read addresses", error));
    }
    NlCache cache(raw_cache);
    for (nl_object* object = nl_cache_get_first(cache.get()); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* entry = reinterpret_cast<rtnl_addr*>(object);
        if (rtnl_addr_get_ifindex(entry) != index) {
            continue;
        }
        if (auto ip = from_nl(rtnl_addr_get_local(entry))) {
            state.addresses.push_back(
                {*ip, static_cast<std::uint8_t>(rtnl_addr_get_prefixlen(entry))});
        }
    }
    return state;
}

}  // namespace agent::network
