#include "sip/minimal_sdp.hpp"

#include <fmt/format.h>

namespace agent::sip {

std::string minimal_sdp_answer(const boost::asio::ip::address& local_address,
                               std::uint16_t rtp_port, std::uint64_t session_id) {
    const char* family = local_address.is_v6() ? "IP6" : "IP4";
    const auto address = local_address.to_string();
    return fmt::format(
        "v=0\r\n"
        "o=phonecwmp {0} {0} IN {1} {2}\r\n"
        "s=-\r\n"
        "c=IN {1} {2}\r\n"
        "t=0 0\r\n"
        "m=audio {3} RTP/AVP 0 8 101\r\n"
        "a=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\n"
        "a=fmtp:101 0-15\r\n"
        "a=sendrecv\r\n",
        session_id, family, address, rtp_port);
}

}  // namespace agent::sip
