#include "sip/response_builder.hpp"

#include <gtest/gtest.h>

#include "sample_messages.hpp"
#include "sip/core_headers.hpp"
#include "sip/message_parser.hpp"
#include "sip/message_serializer.hpp"
#include "sip/reason_phrases.hpp"

namespace agent::sip {
namespace {

SipMessage parsed(const std::string& bytes) {
    auto message = parse_sip_message(bytes);
    EXPECT_TRUE(message.has_value()) << message.error().message;
    return *message;
}

TEST(ResponseBuilder, CopiesHeadersPerRfc3261Section8_2_6) {
    const SipMessage request = parsed(test::folded_message());  // two Vias
    auto response = build_response(request, 486, {.reason_phrase = {}, .to_tag = "uas-77"});
    ASSERT_TRUE(response.has_value()) << response.error().message;
    EXPECT_EQ(response->status_line().status_code, 486);
    EXPECT_EQ(response->status_line().reason_phrase, "Busy Here");

    const auto vias = response->headers_named("Via");
    ASSERT_EQ(vias.size(), 2u);
    EXPECT_EQ(vias[0]->value, request.headers_named("Via")[0]->value);
    EXPECT_EQ(vias[1]->value, request.headers_named("Via")[1]->value);
    EXPECT_EQ(response->header("From"), request.header("From"));
    EXPECT_EQ(response->header("Call-ID"), request.header("Call-ID"));
    EXPECT_EQ(response->header("CSeq"), request.header("CSeq"));
    EXPECT_EQ(response->header("To"), "Bob <sip:bob@biloxi.example.com>;tag=uas-77");
    EXPECT_FALSE(response->header("Subject").has_value());
    EXPECT_FALSE(response->header("Max-Forwards").has_value());

    // What goes on the wire parses as a valid response with Content-Length.
    auto wire = serialize_sip_message(*response);
    ASSERT_TRUE(wire.has_value());
    EXPECT_NE(wire->find("\r\nContent-Length: 0\r\n\r\n"), std::string::npos);
    auto back = parse_sip_message(*wire, {}, Framing::Stream);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(read_core_headers(*back)->to.tag(), "uas-77");
}

TEST(ResponseBuilder, KeepsAnExistingToTag) {
    const SipMessage bye = parsed(test::sipp_uac_bye());
    auto response = build_response(bye, 200, {.reason_phrase = {}, .to_tag = "another"});
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->header("To"), "service <sip:service@127.0.0.1:5060>;tag=uas-tag-1");
    EXPECT_EQ(response->status_line().reason_phrase, "OK");
}

TEST(ResponseBuilder, TryingHasNoTagAndEchoesTimestamp) {
    const SipMessage invite =
        parsed(test::minimal_request("INVITE", "z9hG4bKts", "Timestamp: 54.3 0.5\r\n"));
    auto trying = build_response(invite, 100, {.reason_phrase = {}, .to_tag = "never"});
    ASSERT_TRUE(trying.has_value());
    EXPECT_EQ(trying->header("To"), "<sip:phone@example.com>");
    EXPECT_EQ(trying->header("Timestamp"), "54.3 0.5");
    auto ok = build_response(invite, 200, {.reason_phrase = "Fine", .to_tag = "t1"});
    ASSERT_TRUE(ok.has_value());
    EXPECT_FALSE(ok->header("Timestamp").has_value());
    EXPECT_EQ(ok->status_line().reason_phrase, "Fine");
}

TEST(ResponseBuilder, RejectsBadArguments) {
    const SipMessage request = parsed(test::minimal_request("OPTIONS", "z9hG4bKbad"));
    EXPECT_EQ(build_response(request, 99).error().code, SipErrorCode::InvalidArgument);
    EXPECT_EQ(build_response(request, 700).error().code, SipErrorCode::InvalidArgument);
    EXPECT_EQ(build_response(request, 200, {.reason_phrase = {}, .to_tag = "a b"}).error().code,
              SipErrorCode::InvalidArgument);
    const SipMessage response = parsed(test::unauthorized_401());
    EXPECT_EQ(build_response(response, 200).error().code, SipErrorCode::InvalidArgument);
    SipMessage no_via = request;
    no_via.remove_headers("Via");
    EXPECT_EQ(build_response(no_via, 200).error().code, SipErrorCode::MissingHeader);
    SipMessage no_cseq = request;
    no_cseq.remove_headers("CSeq");
    EXPECT_EQ(build_response(no_cseq, 200).error().code, SipErrorCode::MissingHeader);
}

TEST(ReasonPhrases, RegisteredAndClassDefaults) {
    EXPECT_EQ(default_reason_phrase(401), "Unauthorized");
    EXPECT_EQ(default_reason_phrase(481), "Call/Transaction Does Not Exist");
    EXPECT_EQ(default_reason_phrase(299), "Success");
    EXPECT_EQ(default_reason_phrase(699), "Global Failure");
}

}  // namespace
}  // namespace agent::sip
