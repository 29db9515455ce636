#include "connection_request/listen_address.hpp"

#include <charconv>

namespace agent::connection_request {

phonecwmp::Expected<ListenAddress, std::string> parse_listen_address(std::string_view text) {
    auto fail = [&](std::string_view why) {
        return phonecwmp::Unexpected("\"" + std::string(text) + "\": " + std::string(why) +
                                     " (expected HOST:PORT, e.g. 0.0.0.0:7547 or [::]:7547)");
    };
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return fail("no port");
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed) {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return fail("an IPv6 address must be in brackets");
    }
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(std::string(host), error);
    if (error || host.empty()) {
        return fail("host is not an IP address");
    }
    if (bracketed != address.is_v6()) {
        return fail("only IPv6 addresses go in brackets");
    }
    unsigned port = 0;
    const auto* end = port_text.data() + port_text.size();
    if (auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
        port_text.empty() || ec != std::errc() || ptr != end || port > 65535) {
        return fail("port is not a number from 0 to 65535");
    }
    return ListenAddress{address, static_cast<std::uint16_t>(port)};
}

std::string url_host(const boost::asio::ip::address& address) {
    if (address.is_v6()) {
        return "[" + address.to_string() + "]";
    }
    return address.to_string();
}

}  // namespace agent::connection_request
