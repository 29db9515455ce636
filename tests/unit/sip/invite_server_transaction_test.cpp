#include "sip/invite_server_transaction.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fake_transaction_timers.hpp"
#include "sample_messages.hpp"
#include "sip/message_parser.hpp"
#include "sip/response_builder.hpp"

namespace agent::sip {
namespace {

using namespace std::chrono_literals;

SipMessage parsed(const std::string& bytes) {
    auto message = parse_sip_message(bytes);
    EXPECT_TRUE(message.has_value()) << message.error().message;
    return *message;
}

int status_of(const std::string& wire) {
    auto message = parse_sip_message(wire, {}, Framing::Stream);
    EXPECT_TRUE(message.has_value()) << wire;
    return message ? message->status_line().status_code : 0;
}

class InviteServerTransactionTest : public ::testing::Test {
protected:
    void create(TransportReliability reliability) {
        ServerTransactionHooks hooks;
        hooks.send = [this](const std::string& wire) { sent.push_back(status_of(wire)); };
        hooks.on_terminated = [this](TerminationReason reason) { terminated = reason; };
        auto created = InviteServerTransaction::create(invite, reliability, timers, settings,
                                                       std::move(hooks));
        ASSERT_TRUE(created.has_value()) << created.error().message;
        transaction = std::move(*created);
    }

    SipMessage response(int code) {
        auto built = build_response(invite, code, {.reason_phrase = {}, .to_tag = "uas1"});
        EXPECT_TRUE(built.has_value());
        return *built;
    }

    SipMessage invite = parsed(test::invite_with_sdp());
    SipMessage ack = parsed(
        test::with_crlf("ACK sip:1002@pbx.example.com SIP/2.0\n"
                        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---2b6a;rport\n"
                        "Max-Forwards: 70\n"
                        "To: <sip:1002@pbx.example.com>;tag=uas1\n"
                        "From: \"Alice Desk\" <sip:1001@pbx.example.com>;tag=5d1e1c2a\n"
                        "Call-ID: ZjY3NTU4NmNiNmRiOWQ2MjM2OTY4OGQ4MWQ5YjM4YjE\n"
                        "CSeq: 1 ACK\n"
                        "Content-Length: 0\n\n"));
    test::FakeTransactionTimers timers;
    TransactionTimerSettings settings;
    std::unique_ptr<InviteServerTransaction> transaction;
    std::vector<int> sent;
    std::optional<TerminationReason> terminated;
};

TEST_F(InviteServerTransactionTest, SendsTryingWhenTheTuIsSlow) {
    create(TransportReliability::Unreliable);
    timers.advance(199ms);
    EXPECT_TRUE(sent.empty());
    timers.advance(1ms);
    EXPECT_EQ(sent, std::vector<int>{100});
    // A retransmitted INVITE gets the 100 again.
    EXPECT_EQ(transaction->on_request(invite), RequestDisposition::Absorbed);
    EXPECT_EQ(sent, (std::vector<int>{100, 100}));
}

TEST_F(InviteServerTransactionTest, NoTryingWhenTheTuAnswersInTime) {
    create(TransportReliability::Unreliable);
    timers.advance(50ms);
    ASSERT_TRUE(transaction->send_response(response(180)).has_value());
    timers.advance(1s);
    EXPECT_EQ(sent, std::vector<int>{180});
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Proceeding);
    transaction->on_request(invite);
    EXPECT_EQ(sent, (std::vector<int>{180, 180}));
}

TEST_F(InviteServerTransactionTest, FailureOverUdpRetransmitsWithTimerGUntilAck) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(486)).has_value());
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Completed);
    // Timer G: T1, 2T1, 4T1, then capped at T2 = 4 s.
    timers.advance(500ms);
    timers.advance(1000ms);
    timers.advance(2000ms);
    timers.advance(4000ms);
    timers.advance(4000ms);
    EXPECT_EQ(sent, (std::vector<int>{486, 486, 486, 486, 486, 486}));
    timers.advance(3999ms);
    EXPECT_EQ(sent.size(), 6u);
    // A retransmitted INVITE gets the final response too.
    transaction->on_request(invite);
    EXPECT_EQ(sent.size(), 7u);

    EXPECT_EQ(transaction->on_request(ack), RequestDisposition::Absorbed);
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Confirmed);
    timers.advance(10s);  // no more retransmissions once confirmed
    EXPECT_EQ(sent.size(), 7u);
    EXPECT_EQ(terminated, TerminationReason::Finished);  // Timer I = T4 ran out
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Terminated);
    EXPECT_EQ(timers.running(), 0u);
}

TEST_F(InviteServerTransactionTest, TimerIAbsorbsAckRetransmissions) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(603)).has_value());
    transaction->on_request(ack);
    timers.advance(4999ms);
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Confirmed);
    EXPECT_EQ(transaction->on_request(ack), RequestDisposition::Absorbed);
    EXPECT_EQ(transaction->on_request(invite), RequestDisposition::Absorbed);
    EXPECT_EQ(sent.size(), 1u);
    timers.advance(1ms);
    EXPECT_EQ(terminated, TerminationReason::Finished);
}

TEST_F(InviteServerTransactionTest, TimerHEndsWithoutAck) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(404)).has_value());
    timers.advance(31999ms);
    EXPECT_FALSE(terminated.has_value());
    timers.advance(1ms);  // 64 * T1
    EXPECT_EQ(terminated, TerminationReason::Timeout);
    EXPECT_EQ(timers.running(), 0u);
    // 1 + retransmissions at 0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s (capped at 4 s).
    EXPECT_EQ(sent.size(), 1u + 3u + 7u);
}

TEST_F(InviteServerTransactionTest, ReliableTransportNeverRetransmits) {
    create(TransportReliability::Reliable);
    ASSERT_TRUE(transaction->send_response(response(480)).has_value());
    timers.advance(10s);
    EXPECT_EQ(sent, std::vector<int>{480});
    transaction->on_request(ack);
    // Timer I is zero on reliable transports.
    EXPECT_EQ(terminated, TerminationReason::Finished);
    EXPECT_EQ(timers.running(), 0u);
}

TEST_F(InviteServerTransactionTest, SuccessGoesToAcceptedPerRfc6026) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(180)).has_value());
    ASSERT_TRUE(transaction->send_response(response(200)).has_value());
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Accepted);
    // INVITE retransmissions are absorbed silently: the TU retransmits the 2xx.
    EXPECT_EQ(transaction->on_request(invite), RequestDisposition::Absorbed);
    EXPECT_EQ(sent, (std::vector<int>{180, 200}));
    ASSERT_TRUE(transaction->send_response(response(200)).has_value());
    EXPECT_EQ(sent, (std::vector<int>{180, 200, 200}));
    // The ACK for the 2xx belongs to the TU.
    EXPECT_EQ(transaction->on_request(ack), RequestDisposition::PassToTransactionUser);
    // Only 2xx may follow a 2xx.
    EXPECT_EQ(transaction->send_response(response(486)).error().code, SipErrorCode::InvalidState);
    timers.advance(32s);  // Timer L
    EXPECT_EQ(terminated, TerminationReason::Finished);
}

TEST_F(InviteServerTransactionTest, RejectsResponsesAfterTheFinal) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(500)).has_value());
    EXPECT_EQ(transaction->send_response(response(180)).error().code, SipErrorCode::InvalidState);
    EXPECT_EQ(transaction->send_response(response(200)).error().code, SipErrorCode::InvalidState);
    EXPECT_EQ(transaction->send_response(invite).error().code, SipErrorCode::InvalidArgument);
    SipMessage broken = response(500);
    broken.add_header("Subject", "a\r\nb");
    transaction.reset();
    create(TransportReliability::Unreliable);
    EXPECT_EQ(transaction->send_response(broken).error().code, SipErrorCode::InvalidArgument);
    EXPECT_EQ(transaction->state(), InviteServerTransaction::State::Proceeding);
}

TEST_F(InviteServerTransactionTest, TransportErrorTerminates) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(503)).has_value());
    transaction->on_transport_error();
    EXPECT_EQ(terminated, TerminationReason::TransportError);
    EXPECT_EQ(timers.running(), 0u);
    transaction->on_transport_error();  // idempotent
}

TEST_F(InviteServerTransactionTest, OwnerMayDestroyItFromTheTerminationCallback) {
    ServerTransactionHooks hooks;
    hooks.send = [](const std::string&) {};
    hooks.on_terminated = [this](TerminationReason reason) {
        terminated = reason;
        transaction.reset();
    };
    auto created = InviteServerTransaction::create(invite, TransportReliability::Reliable, timers,
                                                   settings, std::move(hooks));
    ASSERT_TRUE(created.has_value());
    transaction = std::move(*created);
    ASSERT_TRUE(transaction->send_response(response(486)).has_value());
    transaction->on_request(ack);
    EXPECT_EQ(transaction, nullptr);
    EXPECT_EQ(terminated, TerminationReason::Finished);
    EXPECT_EQ(timers.running(), 0u);
}

TEST_F(InviteServerTransactionTest, DestroyingCancelsTimers) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(486)).has_value());
    EXPECT_GT(timers.running(), 0u);
    transaction.reset();
    EXPECT_EQ(timers.running(), 0u);
    timers.advance(60s);
    EXPECT_EQ(sent.size(), 1u);
}

TEST_F(InviteServerTransactionTest, CreateNeedsAnInvite) {
    ServerTransactionHooks hooks;
    auto options = InviteServerTransaction::create(
        parsed(test::ipv6_options()), TransportReliability::Unreliable, timers, settings, hooks);
    ASSERT_FALSE(options.has_value());
    EXPECT_EQ(options.error().code, SipErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace agent::sip
