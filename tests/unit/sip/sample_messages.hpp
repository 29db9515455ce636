// Real-world style SIP messages shared by the parser, framer and transaction
// tests. Written with "\n" for readability; with_crlf() turns them into wire
// form.
#pragma once

#include <string>
#include <string_view>

namespace agent::sip::test {

// Replaces every "\n" with "\r\n".
std::string with_crlf(std::string_view text);

// `head` (start line and headers, "\n"-separated, no trailing empty line)
// plus a Content-Length for `body`, the empty line and the body, all CRLF.
std::string message_with_body(std::string_view head, std::string_view body);

// An INVITE with an SDP offer, as a desk phone sends it.
std::string invite_with_sdp();
// The INVITE of SIPp 3.6's built-in `uac` scenario (`sipp -sd uac`), with its
// keywords expanded the way SIPp does for call 1 of pid 4242 from
// 127.0.0.1:5061 to 127.0.0.1:5060, including the padded Content-Length.
std::string sipp_uac_invite();
// The ACK and BYE of the same scenario (peer tag "uas-tag-1").
std::string sipp_uac_ack();
std::string sipp_uac_bye();
// A registrar's 401 with two digest challenges (SHA-256 and MD5).
std::string unauthorized_401();
// A REGISTER with an Authorization header answering the challenge.
std::string register_with_authorization();
// An INVITE written entirely in compact header forms.
std::string compact_invite();
// A MESSAGE request with folded (continuation-line) headers.
std::string folded_message();
// An OPTIONS over IPv6 with received/rport on the Via and an IPv6 Request-URI.
std::string ipv6_options();
// A minimal valid request of `method` with the given top Via branch.
std::string minimal_request(std::string_view method, std::string_view branch,
                            std::string_view extra_headers = {});

}  // namespace agent::sip::test
