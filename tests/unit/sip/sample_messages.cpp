#include "sample_messages.hpp"

#include <fmt/format.h>

namespace agent::sip::test {

std::string with_crlf(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

std::string message_with_body(std::string_view head, std::string_view body) {
    return with_crlf(fmt::format("{}\nContent-Length: {}\n\n", head, body.size())) +
           std::string(body);
}

namespace {
const std::string kSdp = with_crlf(
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\n"
    "s=-\n"
    "c=IN IP4 192.0.2.10\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 8 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n");
}  // namespace

std::string invite_with_sdp() {
    return message_with_body(
        "INVITE sip:1002@pbx.example.com SIP/2.0\n"
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---2b6a;rport\n"
        "Max-Forwards: 70\n"
        "Contact: <sip:1001@192.0.2.10:5060;transport=udp>\n"
        "To: <sip:1002@pbx.example.com>\n"
        "From: \"Alice Desk\" <sip:1001@pbx.example.com>;tag=5d1e1c2a\n"
        "Call-ID: ZjY3NTU4NmNiNmRiOWQ2MjM2OTY4OGQ4MWQ5YjM4YjE\n"
        "CSeq: 1 INVITE\n"
        "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\n"
        "Content-Type: application/sdp\n"
        "Supported: replaces, norefersub, extended-refer, timer, X-cisco-serviceuri\n"
        "User-Agent: Acme SIP Phone 4.2\n"
        "Allow-Events: presence, kpml",
        kSdp);
}

std::string sipp_uac_invite() {
    const std::string body = with_crlf(
        "v=0\n"
        "o=user1 53655765 2353687637 IN IP4 127.0.0.1\n"
        "s=-\n"
        "c=IN IP4 127.0.0.1\n"
        "t=0 0\n"
        "m=audio 6000 RTP/AVP 0\n"
        "a=rtpmap:0 PCMU/8000\n");
    // SIPp right-aligns [len] in a five-character field.
    return with_crlf(fmt::format("INVITE sip:service@127.0.0.1:5060 SIP/2.0\n"
                                 "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-0\n"
                                 "From: sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag001\n"
                                 "To: service <sip:service@127.0.0.1:5060>\n"
                                 "Call-ID: 1-4242@127.0.0.1\n"
                                 "CSeq: 1 INVITE\n"
                                 "Contact: sip:sipp@127.0.0.1:5061\n"
                                 "Max-Forwards: 70\n"
                                 "Subject: Performance Test\n"
                                 "Content-Type: application/sdp\n"
                                 "Content-Length: {:>5}\n\n",
                                 body.size())) +
           body;
}

std::string sipp_uac_ack() {
    return with_crlf(
        "ACK sip:service@127.0.0.1:5060 SIP/2.0\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-5\n"
        "From: sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag001\n"
        "To: service <sip:service@127.0.0.1:5060>;tag=uas-tag-1\n"
        "Call-ID: 1-4242@127.0.0.1\n"
        "CSeq: 1 ACK\n"
        "Contact: sip:sipp@127.0.0.1:5061\n"
        "Max-Forwards: 70\n"
        "Subject: Performance Test\n"
        "Content-Length: 0\n\n");
}

std::string sipp_uac_bye() {
    return with_crlf(
        "BYE sip:service@127.0.0.1:5060 SIP/2.0\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-7\n"
        "From: sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag001\n"
        "To: service <sip:service@127.0.0.1:5060>;tag=uas-tag-1\n"
        "Call-ID: 1-4242@127.0.0.1\n"
        "CSeq: 2 BYE\n"
        "Contact: sip:sipp@127.0.0.1:5061\n"
        "Max-Forwards: 70\n"
        "Subject: Performance Test\n"
        "Content-Length: 0\n\n");
}

std::string unauthorized_401() {
    return with_crlf(
        "SIP/2.0 401 Unauthorized\n"
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=198.51.100.7;"
        "rport=40112\n"
        "From: \"Alice\" <sip:alice@example.com>;tag=1928301774\n"
        "To: <sip:alice@example.com>;tag=37GkEhwl6\n"
        "Call-ID: a84b4c76e66710@pc33.example.com\n"
        "CSeq: 1 REGISTER\n"
        "WWW-Authenticate: Digest realm=\"example.com\", qop=\"auth\", "
        "nonce=\"7900f98e-3d80-4504-adbc-a61d5e040207\", opaque=\"\", algorithm=SHA-256, "
        "stale=FALSE\n"
        "WWW-Authenticate: Digest realm=\"example.com\", qop=\"auth\", "
        "nonce=\"7900f98e-3d80-4504-adbc-a61d5e040207\", opaque=\"\", algorithm=MD5, "
        "stale=FALSE\n"
        "Server: Example Registrar\n"
        "Content-Length: 0\n\n");
}

std::string register_with_authorization() {
    return with_crlf(
        "REGISTER sip:example.com SIP/2.0\n"
        "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bKnashds7\n"
        "Max-Forwards: 70\n"
        "From: Alice <sip:alice@example.com>;tag=a73kszlfl\n"
        "To: Alice <sip:alice@example.com>\n"
        "Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.10\n"
        "CSeq: 2 REGISTER\n"
        "Contact: <sip:alice@192.0.2.10:5061;transport=tls>;expires=3600;+sip.instance="
        "\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"\n"
        "Authorization: Digest username=\"alice\", realm=\"example.com\", "
        "nonce=\"7900f98e-3d80-4504-adbc-a61d5e040207\", uri=\"sip:example.com\", "
        "response=\"dfe56131d1958046689d83306477ecc\", algorithm=MD5, qop=auth, nc=00000001, "
        "cnonce=\"0a4f113b\"\n"
        "Expires: 3600\n"
        "Content-Length: 0\n\n");
}

std::string compact_invite() {
    return with_crlf(
        "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
        "v: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\n"
        "f: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
        "t: Bob <sip:bob@biloxi.example.com>\n"
        "i: 3848276298220188511@atlanta.example.com\n"
        "CSeq: 2 INVITE\n"
        "m: <sip:alice@client.atlanta.example.com;transport=tcp>\n"
        "Max-Forwards: 70\n"
        "k: 100rel, timer\n"
        "o: dialog\n"
        "u: presence, dialog\n"
        "x: 1800;refresher=uac\n"
        "s: lunch\n"
        "e: gzip\n"
        "c: application/sdp\n"
        "l: 0\n\n");
}

std::string folded_message() {
    return message_with_body(
        "MESSAGE sip:bob@biloxi.example.com SIP/2.0\n"
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKfold1,\n"
        "  SIP/2.0/UDP proxy.atlanta.example.com:5070;branch=z9hG4bKfold0\n"
        "To: Bob\n"
        "  <sip:bob@biloxi.example.com>\n"
        "From: Alice <sip:alice@atlanta.example.com>;tag=49583\n"
        "Call-ID: folded-1@pc33.atlanta.example.com\n"
        "CSeq: 17\n"
        "\t MESSAGE\n"
        "Max-Forwards: 69\n"
        "Subject: I know you're there,\n"
        "         pick up the phone\n"
        "   and talk to me!\n"
        "Content-Type: text/plain",
        "Hello");
}

std::string ipv6_options() {
    return with_crlf(
        "OPTIONS sip:[2001:db8::10]:5070;transport=udp SIP/2.0\n"
        "Via: SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=2001:db8::9:255;"
        "rport\n"
        "Max-Forwards: 70\n"
        "From: <sip:monitor@[2001:db8::9:1]>;tag=v6a\n"
        "To: <sip:[2001:db8::10]:5070>\n"
        "Call-ID: SSG9559905523997077@hlau_4100\n"
        "CSeq: 8612 OPTIONS\n"
        "Accept: application/sdp\n"
        "Content-Length: 0\n\n");
}

std::string minimal_request(std::string_view method, std::string_view branch,
                            std::string_view extra_headers) {
    // extra_headers arrive in wire form already, so CRLF is applied to the
    // template only.
    const std::string wire_template = with_crlf(
        "{0} sip:phone@192.0.2.20 SIP/2.0\n"
        "Via: SIP/2.0/UDP proxy.example.com:5060;branch={1}\n"
        "Max-Forwards: 70\n"
        "From: <sip:proxy@example.com>;tag=p1\n"
        "To: <sip:phone@example.com>\n"
        "Call-ID: call-{1}@proxy.example.com\n"
        "CSeq: 5 {0}\n"
        "{2}Content-Length: 0\n\n");
    return fmt::format(fmt::runtime(wire_template), method, branch, extra_headers);
}

}  // namespace agent::sip::test
