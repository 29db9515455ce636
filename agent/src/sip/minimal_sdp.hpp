// The SDP answer of an auto-answering phone (RFC 4566, RFC 3264): one audio
// stream, G.711 µ-law and A-law and telephone-events, on the phone's own
// address. Media itself is not this endpoint's business; the answer only has
// to be a valid, honest description of where the phone would receive audio.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>

namespace agent::sip {

std::string minimal_sdp_answer(const boost::asio::ip::address& local_address,
                               std::uint16_t rtp_port, std::uint64_t session_id);

}  // namespace agent::sip
