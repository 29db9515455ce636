#include "sip/message_serializer.hpp"

#include <gtest/gtest.h>

#include "sample_messages.hpp"
#include "sip/message_parser.hpp"

namespace agent::sip {
namespace {

TEST(MessageSerializer, RoundTripsRealMessages) {
    for (const std::string& original :
         {test::invite_with_sdp(), test::sipp_uac_invite(), test::unauthorized_401(),
          test::register_with_authorization(), test::compact_invite(), test::folded_message(),
          test::ipv6_options()}) {
        auto parsed = parse_sip_message(original);
        ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
        auto wire = serialize_sip_message(*parsed);
        ASSERT_TRUE(wire.has_value()) << wire.error().message;
        auto reparsed = parse_sip_message(*wire, {}, Framing::Stream);
        ASSERT_TRUE(reparsed.has_value()) << reparsed.error().message << "\n" << *wire;
        EXPECT_EQ(reparsed->body, parsed->body);
        ASSERT_EQ(reparsed->headers.size(), parsed->headers.size());
        for (std::size_t i = 0; i < parsed->headers.size(); ++i) {
            EXPECT_EQ(reparsed->headers[i].name, parsed->headers[i].name);
            EXPECT_EQ(reparsed->headers[i].value, parsed->headers[i].value);
        }
        // Serializing is stable.
        EXPECT_EQ(serialize_sip_message(*reparsed).value(), *wire);
    }
}

TEST(MessageSerializer, ContentLengthAlwaysMatchesTheBody) {
    SipMessage message;
    message.start_line = RequestLine{"MESSAGE", "sip:bob@example.com"};
    message.add_header("Content-Length", "999");
    message.add_header("l", "5");
    message.add_header("Content-Type", "text/plain");
    message.body = "hi";
    auto wire = serialize_sip_message(message);
    ASSERT_TRUE(wire.has_value());
    EXPECT_EQ(*wire,
              "MESSAGE sip:bob@example.com SIP/2.0\r\n"
              "Content-Type: text/plain\r\n"
              "Content-Length: 2\r\n\r\nhi");

    SipMessage response;
    response.start_line = StatusLine{180, "Ringing"};
    EXPECT_EQ(serialize_sip_message(response).value(),
              "SIP/2.0 180 Ringing\r\nContent-Length: 0\r\n\r\n");
}

TEST(MessageSerializer, RefusesHeaderInjection) {
    SipMessage message;
    message.start_line = RequestLine{"OPTIONS", "sip:bob@example.com"};
    message.add_header("Subject", "hi\r\nVia: SIP/2.0/UDP evil");
    EXPECT_EQ(serialize_sip_message(message).error().code, SipErrorCode::InvalidArgument);

    message.headers.clear();
    message.add_header("Bad Name", "x");
    EXPECT_EQ(serialize_sip_message(message).error().code, SipErrorCode::InvalidArgument);

    message.headers.clear();
    message.add_header("Subject", std::string("a\0b", 3));
    EXPECT_FALSE(serialize_sip_message(message).has_value());

    message.start_line = RequestLine{"OPT IONS", "sip:bob@example.com"};
    EXPECT_FALSE(serialize_sip_message(message).has_value());
    message.start_line = RequestLine{"OPTIONS", "sip:bob@example.com SIP/2.0\r\nX:"};
    EXPECT_FALSE(serialize_sip_message(message).has_value());
    message.start_line = RequestLine{"OPTIONS", ""};
    EXPECT_FALSE(serialize_sip_message(message).has_value());
    message.start_line = StatusLine{99, "Low"};
    EXPECT_FALSE(serialize_sip_message(message).has_value());
    message.start_line = StatusLine{200, "OK\r\nX: y"};
    EXPECT_FALSE(serialize_sip_message(message).has_value());
}

}  // namespace
}  // namespace agent::sip
