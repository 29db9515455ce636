#include "sip/stream_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sample_messages.hpp"
#include "sip/message_parser.hpp"

namespace agent::sip {
namespace {

// Drains every complete message; fails the test on a framing error.
std::vector<std::string> drain(StreamFramer& framer) {
    std::vector<std::string> messages;
    for (int guard = 0; guard < 1000; ++guard) {
        auto next = framer.next_message();
        EXPECT_TRUE(next.has_value()) << next.error().message;
        if (!next || !*next) break;
        messages.push_back(std::move(**next));
    }
    return messages;
}

TEST(StreamFramer, SplitsBackToBackMessagesAndSkipsKeepAlives) {
    const std::string invite = test::invite_with_sdp();
    const std::string bye = test::sipp_uac_bye();
    StreamFramer framer;
    ASSERT_TRUE(framer.append("\r\n\r\n" + invite + "\r\n\r\n\r\n\r\n" + bye).has_value());
    const auto messages = drain(framer);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0], invite);
    EXPECT_EQ(messages[1], bye);
    EXPECT_EQ(framer.keepalive_pings(), 3u);
    EXPECT_EQ(framer.buffered_bytes(), 0u);
    for (const std::string& message : messages) {
        EXPECT_TRUE(parse_sip_message(message, {}, Framing::Stream).has_value());
    }
}

TEST(StreamFramer, ReassemblesOneByteAtATime) {
    const std::string stream =
        test::invite_with_sdp() + test::register_with_authorization() + test::compact_invite();
    StreamFramer framer;
    std::vector<std::string> messages;
    for (char byte : stream) {
        ASSERT_TRUE(framer.append(std::string_view(&byte, 1)).has_value());
        for (std::string& message : drain(framer)) messages.push_back(std::move(message));
    }
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[0], test::invite_with_sdp());
    EXPECT_EQ(messages[1], test::register_with_authorization());
    EXPECT_EQ(messages[2], test::compact_invite());
}

TEST(StreamFramer, HeadTerminatorSplitAcrossReads) {
    const std::string message = test::minimal_request("OPTIONS", "z9hG4bKsplit");
    // Every split point, including inside the final CRLF CRLF.
    for (std::size_t split = 1; split < message.size(); ++split) {
        StreamFramer framer;
        ASSERT_TRUE(framer.append(message.substr(0, split)).has_value());
        EXPECT_TRUE(drain(framer).empty()) << split;
        ASSERT_TRUE(framer.append(message.substr(split)).has_value());
        const auto messages = drain(framer);
        ASSERT_EQ(messages.size(), 1u) << split;
        EXPECT_EQ(messages[0], message);
    }
}

TEST(StreamFramer, LineFeedOnlyMessages) {
    StreamFramer framer;
    ASSERT_TRUE(framer
                    .append("OPTIONS sip:a@b SIP/2.0\nl: 3\n\nabcOPTIONS sip:c@d SIP/2.0\n"
                            "Content-Length: 0\n\n")
                    .has_value());
    const auto messages = drain(framer);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0], "OPTIONS sip:a@b SIP/2.0\nl: 3\n\nabc");
}

TEST(StreamFramer, MissingContentLengthIsFatal) {
    StreamFramer framer;
    ASSERT_TRUE(framer.append("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n").has_value());
    auto next = framer.next_message();
    ASSERT_FALSE(next.has_value());
    EXPECT_EQ(next.error().code, SipErrorCode::MissingContentLength);
    EXPECT_TRUE(framer.failed());
    // Sticky: nothing more is accepted on this connection.
    EXPECT_FALSE(framer.append(test::sipp_uac_bye()).has_value());
    EXPECT_FALSE(framer.next_message().has_value());
}

TEST(StreamFramer, BadOrConflictingContentLengthIsFatal) {
    for (const char* head : {"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: x\r\n\r\n",
                             "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n",
                             "OPTIONS sip:a@b SIP/2.0\r\nBroken header\r\n\r\n"}) {
        StreamFramer framer;
        ASSERT_TRUE(framer.append(head).has_value());
        EXPECT_FALSE(framer.next_message().has_value()) << head;
    }
}

TEST(StreamFramer, OversizeMessagesAreFatal) {
    ParseLimits limits;
    limits.max_message_bytes = 1024;

    // Headers that never end.
    StreamFramer endless(limits);
    ASSERT_TRUE(endless.append("OPTIONS sip:a@b SIP/2.0\r\n").has_value());
    bool failed = false;
    for (int i = 0; i < 100 && !failed; ++i) {
        if (!endless.append("X-Filler: " + std::string(50, 'x') + "\r\n").has_value()) break;
        auto next = endless.next_message();
        if (!next) {
            EXPECT_EQ(next.error().code, SipErrorCode::MessageTooLarge);
            failed = true;
        }
    }
    EXPECT_TRUE(failed);

    // A Content-Length that would exceed the limit is refused before the body arrives.
    StreamFramer big_body(limits);
    ASSERT_TRUE(
        big_body.append("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1000\r\n\r\n").has_value());
    auto next = big_body.next_message();
    ASSERT_FALSE(next.has_value());
    EXPECT_EQ(next.error().code, SipErrorCode::MessageTooLarge);

    // One append larger than the buffer bound.
    StreamFramer flood(limits);
    EXPECT_EQ(flood.append(std::string(2049, 'A')).error().code, SipErrorCode::MessageTooLarge);
}

TEST(StreamFramer, KeepAliveFloodDoesNotGrowTheBuffer) {
    ParseLimits limits;
    limits.max_message_bytes = 512;
    StreamFramer framer(limits);
    const std::string pings(400, '\n');
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(framer.append(pings).has_value());
        EXPECT_TRUE(drain(framer).empty());
        EXPECT_EQ(framer.buffered_bytes(), 0u);
    }
    EXPECT_EQ(framer.keepalive_pings(), 50u * 200u);
}

TEST(StreamFramer, HeaderLimitsApplyBeforeTheBody) {
    ParseLimits limits;
    limits.max_header_fields = 3;
    StreamFramer framer(limits);
    ASSERT_TRUE(framer.append(test::minimal_request("OPTIONS", "z9hG4bKmany")).has_value());
    auto next = framer.next_message();
    ASSERT_FALSE(next.has_value());
    EXPECT_EQ(next.error().code, SipErrorCode::TooManyHeaders);
}

}  // namespace
}  // namespace agent::sip
