#include "connection_request/request_source.hpp"

#include <algorithm>

namespace agent::connection_request {

namespace {
boost::asio::ip::address normalised(const boost::asio::ip::address& peer) {
    if (peer.is_v4()) return peer;
    const auto v6 = peer.to_v6();
    if (v6.is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6);
    }
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes);
}
}  // namespace

RequestSource::RequestSource(const boost::asio::ip::address& peer) : address_(normalised(peer)) {}

std::string RequestSource::to_string() const {
    return address_.is_v4() ? address_.to_string() : address_.to_string() + "/64";
}

}  // namespace agent::connection_request
