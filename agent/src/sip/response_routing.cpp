#include "sip/response_routing.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <string>

namespace agent::sip {
namespace {

std::optional<std::uint16_t> port_value(const HeaderParameter* parameter) {
    if (parameter == nullptr || !parameter->value || parameter->value->empty()) {
        return std::nullopt;
    }
    unsigned value = 0;
    const auto& text = *parameter->value;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

bool host_is_address(const Via& via, const boost::asio::ip::address& address) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(via.host, ec);
    return !ec && parsed == address;
}

}  // namespace

SipResult<void> stamp_top_via(SipMessage& request, const MessageOrigin& origin) {
    for (auto& field : request.headers) {
        if (field.name != "Via") {
            continue;
        }
        auto via = parse_via(field.value);
        if (!via) {
            return sip_error(SipErrorCode::InvalidHeaderValue, "top Via: " + via.error(),
                             field.line);
        }
        const bool wants_rport = via->has_rport();
        if (wants_rport || !host_is_address(*via, origin.address)) {
            set_parameter(via->parameters, "received", origin.address.to_string());
        }
        if (wants_rport) {
            set_parameter(via->parameters, "rport", std::to_string(origin.port));
        }
        field.value = format_via(*via);
        return {};
    }
    return sip_error(SipErrorCode::MissingHeader, "no Via header");
}

ResponseDestination response_destination(const Via& top_via, const MessageOrigin& origin) {
    ResponseDestination destination;
    destination.transport = origin.transport;
    destination.connection_id = origin.connection_id;
    destination.address = origin.address;
    destination.port = origin.port;
    if (origin.transport != TransportKind::Udp) {
        return destination;
    }
    if (const auto* received = find_parameter(top_via.parameters, "received");
        received != nullptr && received->value) {
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(*received->value, ec);
        if (!ec) {
            destination.address = address;
        }
    }
    if (auto rport = port_value(find_parameter(top_via.parameters, "rport"))) {
        destination.port = *rport;
    } else {
        destination.port = top_via.port.value_or(5060);
    }
    return destination;
}

}  // namespace agent::sip
