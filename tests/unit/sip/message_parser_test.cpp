#include "sip/message_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sample_messages.hpp"
#include "sip/core_headers.hpp"
#include "sip/sip_uri.hpp"

namespace agent::sip {
namespace {

using test::with_crlf;

SipMessage parse_ok(const std::string& bytes, Framing framing = Framing::Datagram) {
    auto message = parse_sip_message(bytes, {}, framing);
    EXPECT_TRUE(message.has_value()) << (message ? "" : message.error().message);
    return message ? std::move(*message) : SipMessage{};
}

SipError parse_error(const std::string& bytes, const ParseLimits& limits = {},
                     Framing framing = Framing::Datagram) {
    auto message = parse_sip_message(bytes, limits, framing);
    EXPECT_FALSE(message.has_value());
    return message ? SipError{} : message.error();
}

TEST(MessageParser, InviteWithSdp) {
    const SipMessage message = parse_ok(test::invite_with_sdp());
    ASSERT_TRUE(message.is_request());
    EXPECT_EQ(message.request_line().method, "INVITE");
    EXPECT_EQ(message.request_line().uri, "sip:1002@pbx.example.com");
    EXPECT_TRUE(message.body.starts_with("v=0\r\n"));
    EXPECT_TRUE(message.body.ends_with("a=fmtp:101 0-15\r\n"));
    EXPECT_EQ(message.header("Content-Type"), "application/sdp");
    // Allow and Supported are lists: one field per element.
    const auto allow = message.headers_named("Allow");
    ASSERT_EQ(allow.size(), 10u);
    EXPECT_EQ(allow[0]->value, "INVITE");
    EXPECT_EQ(allow[9]->value, "SUBSCRIBE");
    EXPECT_EQ(message.header_count("Supported"), 5u);
    EXPECT_EQ(message.header_count("Allow-Events"), 2u);

    auto core = read_core_headers(message);
    ASSERT_TRUE(core.has_value()) << core.error().message;
    EXPECT_EQ(core->from.display_name, "Alice Desk");
    EXPECT_EQ(core->from.tag(), "5d1e1c2a");
    EXPECT_EQ(core->to.tag(), "");
    EXPECT_EQ(core->cseq.number, 1u);
    EXPECT_EQ(core->max_forwards, 70u);
    EXPECT_EQ(core->content_length, message.body.size());
    ASSERT_EQ(core->vias.size(), 1u);
    EXPECT_TRUE(core->vias[0].has_rport());
    EXPECT_EQ(core->vias[0].sent_by(), "192.0.2.10:5060");
}

TEST(MessageParser, AcceptsWhatSippUacSends) {
    const SipMessage invite = parse_ok(test::sipp_uac_invite());
    auto core = read_core_headers(invite);
    ASSERT_TRUE(core.has_value());
    EXPECT_EQ(core->from.display_name, "sipp");
    EXPECT_EQ(core->from.tag(), "4242SIPpTag001");
    EXPECT_EQ(core->call_id, "1-4242@127.0.0.1");
    // The padded "Content-Length:   129" still frames the SDP exactly.
    EXPECT_EQ(core->content_length, invite.body.size());
    EXPECT_TRUE(invite.body.ends_with("a=rtpmap:0 PCMU/8000\r\n"));
    // Contact without angle brackets.
    auto contact = parse_name_address(*invite.header("Contact"));
    ASSERT_TRUE(contact.has_value());
    EXPECT_EQ(contact->uri, "sip:sipp@127.0.0.1:5061");

    const SipMessage ack = parse_ok(test::sipp_uac_ack());
    EXPECT_EQ(ack.request_line().method, "ACK");
    const SipMessage bye = parse_ok(test::sipp_uac_bye());
    EXPECT_EQ(bye.request_line().method, "BYE");
    EXPECT_TRUE(bye.body.empty());
}

TEST(MessageParser, UnauthorizedKeepsChallengesWhole) {
    const SipMessage response = parse_ok(test::unauthorized_401());
    ASSERT_FALSE(response.is_request());
    EXPECT_EQ(response.status_line().status_code, 401);
    EXPECT_EQ(response.status_line().reason_phrase, "Unauthorized");
    const auto challenges = response.headers_named("WWW-Authenticate");
    ASSERT_EQ(challenges.size(), 2u);
    EXPECT_NE(challenges[0]->value.find("algorithm=SHA-256"), std::string::npos);
    EXPECT_NE(challenges[0]->value.find("qop=\"auth\", nonce="), std::string::npos);
    EXPECT_NE(challenges[1]->value.find("algorithm=MD5"), std::string::npos);

    auto core = read_core_headers(response);
    ASSERT_TRUE(core.has_value()) << core.error().message;
    EXPECT_FALSE(core->max_forwards.has_value());  // responses need none
    EXPECT_EQ(core->cseq.method, "REGISTER");
    const HeaderParameter* rport = find_parameter(core->vias[0].parameters, "rport");
    ASSERT_NE(rport, nullptr);
    EXPECT_EQ(rport->value, "40112");
}

TEST(MessageParser, AuthorizationIsOneRawField) {
    const SipMessage request = parse_ok(test::register_with_authorization());
    ASSERT_EQ(request.header_count("Authorization"), 1u);
    EXPECT_TRUE(request.header("authorization")->starts_with("Digest username=\"alice\""));
    EXPECT_TRUE(request.header("Authorization")->ends_with("cnonce=\"0a4f113b\""));
    auto contact = parse_name_address(*request.header("Contact"));
    ASSERT_TRUE(contact.has_value()) << contact.error();
    EXPECT_EQ(find_parameter(contact->parameters, "expires")->value, "3600");
    EXPECT_EQ(find_parameter(contact->parameters, "+sip.instance")->value,
              "\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"");
}

TEST(MessageParser, CompactFormsMapToFullNames) {
    const SipMessage message = parse_ok(test::compact_invite());
    for (const char* name :
         {"Via", "From", "To", "Call-ID", "Contact", "Event", "Subject", "Content-Encoding",
          "Content-Type", "Content-Length", "Session-Expires"}) {
        EXPECT_TRUE(message.header(name).has_value()) << name;
    }
    EXPECT_EQ(message.header_count("Supported"), 2u);
    EXPECT_EQ(message.header_count("Allow-Events"), 2u);
    // Lookups by compact name work too.
    EXPECT_EQ(message.header("i"), "3848276298220188511@atlanta.example.com");
    EXPECT_EQ(message.headers.front().name, "Via");
    auto core = read_core_headers(message);
    ASSERT_TRUE(core.has_value()) << core.error().message;
    EXPECT_EQ(core->vias[0].transport, "TCP");
}

TEST(MessageParser, HeaderNamesAreCaseInsensitive) {
    const SipMessage message =
        parse_ok(with_crlf("OPTIONS sip:phone@192.0.2.20 SIP/2.0\n"
                           "VIA: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKcase\n"
                           "max-forwards: 70\n"
                           "fRoM: <sip:a@example.com>;tag=1\n"
                           "TO: <sip:b@example.com>\n"
                           "call-id: case@example.com\n"
                           "cseq: 1 OPTIONS\n"
                           "CONTENT-LENGTH: 0\n\n"));
    EXPECT_EQ(message.headers[0].name, "Via");
    EXPECT_EQ(message.headers[1].name, "Max-Forwards");
    EXPECT_EQ(message.headers[4].name, "Call-ID");
    EXPECT_EQ(message.headers[5].name, "CSeq");
}

TEST(MessageParser, FoldedHeadersAreJoined) {
    const SipMessage message = parse_ok(test::folded_message());
    EXPECT_EQ(message.header("Subject"), "I know you're there, pick up the phone and talk to me!");
    EXPECT_EQ(message.header("To"), "Bob <sip:bob@biloxi.example.com>");
    EXPECT_EQ(message.header("CSeq"), "17 MESSAGE");
    EXPECT_EQ(message.body, "Hello");
    // A Via list folded over two lines is two Via fields with their line numbers.
    const auto vias = message.headers_named("Via");
    ASSERT_EQ(vias.size(), 2u);
    EXPECT_EQ(vias[1]->value, "SIP/2.0/UDP proxy.atlanta.example.com:5070;branch=z9hG4bKfold0");
    EXPECT_EQ(vias[0]->line, 2u);
}

TEST(MessageParser, Ipv6ViaAndRequestUri) {
    const SipMessage message = parse_ok(test::ipv6_options());
    auto core = read_core_headers(message);
    ASSERT_TRUE(core.has_value()) << core.error().message;
    const Via& via = core->vias[0];
    EXPECT_TRUE(via.host_is_ipv6);
    EXPECT_EQ(via.host, "2001:db8::9:1");
    EXPECT_EQ(via.port, 5060);
    EXPECT_EQ(via.sent_by(), "[2001:db8::9:1]:5060");
    EXPECT_EQ(find_parameter(via.parameters, "received")->value, "2001:db8::9:255");
    EXPECT_TRUE(via.has_rport());
    auto uri = parse_sip_uri(message.request_line().uri);
    ASSERT_TRUE(uri.has_value());
    EXPECT_EQ(uri->host, "2001:db8::10");
    EXPECT_EQ(uri->port, 5070);
    EXPECT_EQ(uri->transport(), "udp");
}

TEST(MessageParser, BareLineFeedsAndLeadingKeepAlivesAreTolerated) {
    std::string message = "\r\n\r\n" + test::minimal_request("OPTIONS", "z9hG4bKlf");
    std::string lf_only;
    for (char c : message) {
        if (c != '\r') lf_only += c;
    }
    EXPECT_EQ(parse_ok(message).request_line().method, "OPTIONS");
    EXPECT_EQ(parse_ok(lf_only).request_line().method, "OPTIONS");
}

TEST(MessageParser, DatagramBodyFollowsContentLength) {
    const std::string head =
        "MESSAGE sip:phone@192.0.2.20 SIP/2.0\n"
        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKbody\n"
        "Max-Forwards: 70\n"
        "From: <sip:a@example.com>;tag=1\n"
        "To: <sip:b@example.com>\n"
        "Call-ID: body@example.com\n"
        "CSeq: 1 MESSAGE\n";
    // Extra bytes after Content-Length are discarded (RFC 3261 §18.3).
    EXPECT_EQ(parse_ok(with_crlf(head + "Content-Length: 3\n\n") + "abcdef").body, "abc");
    // Without Content-Length the datagram's rest is the body.
    EXPECT_EQ(parse_ok(with_crlf(head + "\n") + "abcdef").body, "abcdef");
    // Repeated but equal Content-Length is harmless.
    EXPECT_EQ(parse_ok(with_crlf(head + "Content-Length: 2\nl: 2\n\n") + "ab").body, "ab");

    const SipError truncated = parse_error(with_crlf(head + "Content-Length: 10\n\n") + "abc");
    EXPECT_EQ(truncated.code, SipErrorCode::BodyLengthMismatch);
    EXPECT_NE(truncated.message.find("10"), std::string::npos);

    const SipError smuggled =
        parse_error(with_crlf(head + "Content-Length: 2\nContent-Length: 3\n\n") + "abc");
    EXPECT_EQ(smuggled.code, SipErrorCode::DuplicateHeader);
    EXPECT_EQ(smuggled.line, 9u);

    const SipError negative = parse_error(with_crlf(head + "Content-Length: -1\n\n"));
    EXPECT_EQ(negative.code, SipErrorCode::InvalidHeaderValue);
    const SipError huge = parse_error(with_crlf(head + "Content-Length: 99999999999999999999\n\n"));
    EXPECT_EQ(huge.code, SipErrorCode::InvalidHeaderValue);
}

TEST(MessageParser, StreamFramingRequiresExactContentLength) {
    const std::string request = test::minimal_request("OPTIONS", "z9hG4bKstream");
    EXPECT_TRUE(parse_sip_message(request, {}, Framing::Stream).has_value());
    std::string without_length = request;
    without_length.erase(without_length.find("Content-Length: 0\r\n"), 19);
    EXPECT_EQ(parse_error(without_length, {}, Framing::Stream).code,
              SipErrorCode::MissingContentLength);
    EXPECT_EQ(parse_error(request + "x", {}, Framing::Stream).code,
              SipErrorCode::BodyLengthMismatch);
}

TEST(MessageParser, StartLineErrors) {
    const std::string rest = test::minimal_request("OPTIONS", "z9hG4bKx")
                                 .substr(test::minimal_request("OPTIONS", "z9hG4bKx").find("\r\n"));
    struct Case {
        std::string start_line;
        SipErrorCode code;
    };
    const Case cases[] = {
        {"OPTIONS sip:phone@192.0.2.20 SIP/3.0", SipErrorCode::UnsupportedVersion},
        {"OPTIONS sip:phone@192.0.2.20 SIP/1.0", SipErrorCode::UnsupportedVersion},
        {"OPTIONS sip:phone@192.0.2.20 HTTP/1.1", SipErrorCode::MalformedStartLine},
        {"OPTIONS sip:phone@192.0.2.20", SipErrorCode::MalformedStartLine},
        {"OPTIONS  sip:phone@192.0.2.20 SIP/2.0", SipErrorCode::MalformedStartLine},
        {"OPT<IONS sip:phone@192.0.2.20 SIP/2.0", SipErrorCode::MalformedStartLine},
        {"OPTIONS sip:phone@bad_host SIP/2.0", SipErrorCode::MalformedStartLine},
        {"OPTIONS nonsense SIP/2.0", SipErrorCode::MalformedStartLine},
        {"OPTIONS sip:phone@192.0.2.20:99999 SIP/2.0", SipErrorCode::MalformedStartLine},
        {"SIP/2.0 99 Too Small", SipErrorCode::MalformedStartLine},
        {"SIP/2.0 700 Too Big", SipErrorCode::MalformedStartLine},
        {"SIP/2.0 2OO OK", SipErrorCode::MalformedStartLine},
        {"SIP/2.0 200OK", SipErrorCode::MalformedStartLine},
        {"SIP/2.1 200 OK", SipErrorCode::UnsupportedVersion},
    };
    for (const Case& c : cases) {
        const SipError error = parse_error(c.start_line + rest);
        EXPECT_EQ(error.code, c.code) << c.start_line << ": " << error.message;
        EXPECT_EQ(error.line, 1u) << c.start_line;
        EXPECT_TRUE(error.message.starts_with("line 1: ")) << error.message;
    }
    EXPECT_EQ(response_status_for(SipErrorCode::UnsupportedVersion), 505);
}

TEST(MessageParser, SipVersionIsCaseInsensitiveAndReasonOptional) {
    std::string request = test::minimal_request("OPTIONS", "z9hG4bKver");
    request.replace(request.find("SIP/2.0\r\n"), 7, "sip/2.0");
    EXPECT_TRUE(parse_sip_message(request).has_value());
    const std::string response = with_crlf(
        "SIP/2.0 200\n"
        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr\n"
        "From: <sip:a@example.com>;tag=1\n"
        "To: <sip:b@example.com>;tag=2\n"
        "Call-ID: r@example.com\n"
        "CSeq: 1 OPTIONS\n\n");
    EXPECT_EQ(parse_ok(response).status_line().reason_phrase, "");
}

TEST(MessageParser, EmptyAndIncompleteInput) {
    EXPECT_EQ(parse_error("").code, SipErrorCode::EmptyMessage);
    EXPECT_EQ(parse_error("\r\n\r\n").code, SipErrorCode::EmptyMessage);
    std::string request = test::minimal_request("OPTIONS", "z9hG4bKinc");
    request.resize(request.size() - 2);  // drop the empty line
    EXPECT_EQ(parse_error(request).code, SipErrorCode::IncompleteHeaders);
}

TEST(MessageParser, MalformedHeaderLines) {
    const std::string request = test::minimal_request("OPTIONS", "z9hG4bKhdr");
    const std::size_t insert_at = request.find("Max-Forwards");
    struct Case {
        std::string line;
        SipErrorCode code;
        std::string fragment;
    };
    const Case cases[] = {
        {"NoColonHere\r\n", SipErrorCode::MalformedHeader, "no ':'"},
        {"Bad Name: x\r\n", SipErrorCode::MalformedHeader, "not a token"},
        {": empty name\r\n", SipErrorCode::MalformedHeader, "not a token"},
        {std::string("X-Nul: a\0b\r\n", 12), SipErrorCode::MalformedHeader, "control character"},
        {"X-Cr: a\rb\r\n", SipErrorCode::MalformedHeader, "control character"},
        {"Route: <sip:a@example.com, <sip:b@example.com>\r\n", SipErrorCode::InvalidHeaderValue,
         "nested '<'"},
        {"Allow: INVITE,,ACK\r\n", SipErrorCode::InvalidHeaderValue, "empty list element"},
    };
    for (const Case& c : cases) {
        std::string bytes = request;
        bytes.insert(insert_at, c.line);
        const SipError error = parse_error(bytes);
        EXPECT_EQ(error.code, c.code) << error.message;
        EXPECT_EQ(error.line, 3u) << error.message;
        EXPECT_NE(error.message.find(c.fragment), std::string::npos) << error.message;
    }
    // A continuation line right after the start line has nothing to continue.
    std::string leading_fold = request;
    leading_fold.insert(request.find("\r\n") + 2, " folded\r\n");
    EXPECT_EQ(parse_error(leading_fold).code, SipErrorCode::MalformedHeader);
}

TEST(MessageParser, MandatoryHeadersAreNamed) {
    for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards"}) {
        std::string request = test::minimal_request("OPTIONS", "z9hG4bKmand");
        const std::size_t start = request.find(std::string("\r\n") + name + ":") + 2;
        request.erase(start, request.find("\r\n", start) + 2 - start);
        const SipError error = parse_error(request);
        EXPECT_EQ(error.code, SipErrorCode::MissingHeader) << name;
        EXPECT_EQ(error.message, std::string("request has no ") + name + " header");
    }
}

TEST(MessageParser, DuplicateSingleHeadersAreRejected) {
    for (const char* extra :
         {"From: <sip:x@example.com>;tag=2\r\n", "To: <sip:y@example.com>\r\n",
          "i: other@example.com\r\n", "CSeq: 6 OPTIONS\r\n", "Max-Forwards: 10\r\n"}) {
        const SipError error = parse_error(test::minimal_request("OPTIONS", "z9hG4bKdup", extra));
        EXPECT_EQ(error.code, SipErrorCode::DuplicateHeader) << extra;
        EXPECT_EQ(error.line, 8u) << error.message;
    }
}

TEST(MessageParser, CoreHeaderValuesAreChecked) {
    struct Case {
        std::string from;
        std::string to;
        SipErrorCode code;
        std::string fragment;
    };
    const Case cases[] = {
        {"CSeq: 5 OPTIONS", "CSeq: 5 INVITE", SipErrorCode::CSeqMethodMismatch,
         "CSeq method 'INVITE' does not match request method 'OPTIONS'"},
        {"CSeq: 5 OPTIONS", "CSeq: 2147483648 OPTIONS", SipErrorCode::InvalidHeaderValue,
         "below 2**31"},
        {"CSeq: 5 OPTIONS", "CSeq: OPTIONS", SipErrorCode::InvalidHeaderValue, "CSeq"},
        {"Max-Forwards: 70", "Max-Forwards: 256", SipErrorCode::InvalidHeaderValue, "0..255"},
        {"Max-Forwards: 70", "Max-Forwards: seventy", SipErrorCode::InvalidHeaderValue,
         "Max-Forwards"},
        {"Via: SIP/2.0/UDP proxy.example.com:5060", "Via: SIP/3.0/UDP proxy.example.com:5060",
         SipErrorCode::InvalidHeaderValue, "not 2.0"},
        {"Via: SIP/2.0/UDP proxy.example.com:5060", "Via: SIP/2.0/UDP proxy.example.com:0",
         SipErrorCode::InvalidHeaderValue, "1..65535"},
        {"Via: SIP/2.0/UDP proxy.example.com:5060", "Via: SIP/2.0/UDP [::1:5060",
         SipErrorCode::InvalidHeaderValue, "no ']'"},
        {"Via: SIP/2.0/UDP proxy.example.com:5060",
         "Via: SIP/2.0/UDP proxy.example.com:5060;received=evil.example.com",
         SipErrorCode::InvalidHeaderValue, "not an IP address"},
        {"Via: SIP/2.0/UDP proxy.example.com:5060",
         "Via: SIP/2.0/UDP proxy.example.com:5060;rport=0", SipErrorCode::InvalidHeaderValue,
         "rport"},
        {"From: <sip:proxy@example.com>;tag=p1", "From: <sip:proxy@example.com;tag=p1",
         SipErrorCode::InvalidHeaderValue, "'<' without '>'"},
        {"From: <sip:proxy@example.com>;tag=p1", "From: \"unterminated <sip:proxy@example.com>",
         SipErrorCode::InvalidHeaderValue, "unterminated"},
        {"To: <sip:phone@example.com>", "To: <>", SipErrorCode::InvalidHeaderValue, "empty URI"},
        {"To: <sip:phone@example.com>", "To: <sip:@example.com>", SipErrorCode::InvalidHeaderValue,
         "empty user"},
        {"Call-ID: call-", "Call-ID: has space-", SipErrorCode::InvalidHeaderValue,
         "is not a Call-ID"},
    };
    for (const Case& c : cases) {
        std::string request = test::minimal_request("OPTIONS", "z9hG4bKval");
        const std::size_t at = request.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        request.replace(at, c.from.size(), c.to);
        const SipError error = parse_error(request);
        EXPECT_EQ(error.code, c.code) << c.to << ": " << error.message;
        EXPECT_NE(error.message.find(c.fragment), std::string::npos) << error.message;
        EXPECT_GT(error.line, 1u) << error.message;
    }
}

TEST(MessageParser, LimitsAreEnforced) {
    const std::string request = test::minimal_request("OPTIONS", "z9hG4bKlim");

    ParseLimits small_message;
    small_message.max_message_bytes = request.size() - 1;
    const SipError too_large = parse_error(request, small_message);
    EXPECT_EQ(too_large.code, SipErrorCode::MessageTooLarge);
    EXPECT_EQ(response_status_for(too_large.code), 513);

    ParseLimits few_headers;
    few_headers.max_header_fields = 6;
    EXPECT_EQ(parse_error(request, few_headers).code, SipErrorCode::TooManyHeaders);

    // A list header counts each element.
    ParseLimits few_fields;
    few_fields.max_header_fields = 10;
    EXPECT_EQ(
        parse_error(test::minimal_request("OPTIONS", "z9hG4bKl", "Allow: A, B, C, D, E, F\r\n"),
                    few_fields)
            .code,
        SipErrorCode::TooManyHeaders);

    ParseLimits short_lines;
    short_lines.max_header_line_bytes = 60;
    const SipError long_line = parse_error(
        test::minimal_request("OPTIONS", "z9hG4bKl", "Subject: " + std::string(80, 'x') + "\r\n"),
        short_lines);
    EXPECT_EQ(long_line.code, SipErrorCode::HeaderLineTooLong);
    EXPECT_EQ(long_line.line, 8u);
    // Folding cannot get around the line limit.
    const SipError long_fold =
        parse_error(test::minimal_request("OPTIONS", "z9hG4bKl",
                                          "Subject: " + std::string(40, 'x') + "\r\n " +
                                              std::string(40, 'y') + "\r\n"),
                    short_lines);
    EXPECT_EQ(long_fold.code, SipErrorCode::HeaderLineTooLong);

    std::string many_vias;
    for (int i = 0; i < 5; ++i)
        many_vias += "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKv" + std::to_string(i) + "\r\n";
    ParseLimits few_vias;
    few_vias.max_via_count = 4;
    EXPECT_EQ(parse_error(test::minimal_request("OPTIONS", "z9hG4bKl", many_vias), few_vias).code,
              SipErrorCode::TooManyVias);
    EXPECT_TRUE(
        parse_sip_message(test::minimal_request("OPTIONS", "z9hG4bKl", many_vias)).has_value());

    ParseLimits few_parameters;
    few_parameters.max_parameters = 2;
    EXPECT_EQ(parse_error(test::minimal_request("OPTIONS", "z9hG4bKl;a;b"), few_parameters).code,
              SipErrorCode::InvalidHeaderValue);
}

TEST(MessageParser, ErrorNamesAreStable) {
    EXPECT_STREQ(to_string(SipErrorCode::MissingHeader), "missing header");
    EXPECT_STREQ(to_string(SipErrorCode::TooManyVias), "too many Via headers");
}

}  // namespace
}  // namespace agent::sip
