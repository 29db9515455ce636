#include "sip/non_invite_server_transaction.hpp"

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

class NonInviteServerTransactionTest : public ::testing::Test {
protected:
    void create(TransportReliability reliability) {
        ServerTransactionHooks hooks;
        hooks.send = [this](const std::string& wire) {
            auto message = parse_sip_message(wire, {}, Framing::Stream);
            ASSERT_TRUE(message.has_value()) << wire;
            sent.push_back(message->status_line().status_code);
        };
        hooks.on_terminated = [this](TerminationReason reason) { terminated = reason; };
        auto created = NonInviteServerTransaction::create(request, reliability, timers, settings,
                                                          std::move(hooks));
        ASSERT_TRUE(created.has_value()) << created.error().message;
        transaction = std::move(*created);
    }

    SipMessage response(int code) {
        return *build_response(request, code, {.reason_phrase = {}, .to_tag = "t"});
    }

    SipMessage request = parsed(test::register_with_authorization());
    test::FakeTransactionTimers timers;
    TransactionTimerSettings settings;
    std::unique_ptr<NonInviteServerTransaction> transaction;
    std::vector<int> sent;
    std::optional<TerminationReason> terminated;
};

TEST_F(NonInviteServerTransactionTest, RetransmissionInTryingIsAbsorbedSilently) {
    create(TransportReliability::Unreliable);
    EXPECT_EQ(transaction->state(), NonInviteServerTransaction::State::Trying);
    EXPECT_EQ(transaction->on_request(request), RequestDisposition::Absorbed);
    EXPECT_TRUE(sent.empty());
    EXPECT_EQ(timers.running(), 0u);  // no timer guards Trying
}

TEST_F(NonInviteServerTransactionTest, ProvisionalThenFinalWithTimerJ) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(100)).has_value());
    EXPECT_EQ(transaction->state(), NonInviteServerTransaction::State::Proceeding);
    transaction->on_request(request);
    EXPECT_EQ(sent, (std::vector<int>{100, 100}));

    ASSERT_TRUE(transaction->send_response(response(200)).has_value());
    EXPECT_EQ(transaction->state(), NonInviteServerTransaction::State::Completed);
    // Completed answers every retransmission with the final response, but
    // never retransmits on its own.
    timers.advance(10s);
    transaction->on_request(request);
    EXPECT_EQ(sent, (std::vector<int>{100, 100, 200, 200}));
    EXPECT_EQ(transaction->send_response(response(202)).error().code, SipErrorCode::InvalidState);

    timers.advance(21999ms);
    EXPECT_FALSE(terminated.has_value());
    timers.advance(1ms);  // Timer J = 64 * T1
    EXPECT_EQ(terminated, TerminationReason::Finished);
    EXPECT_EQ(transaction->state(), NonInviteServerTransaction::State::Terminated);
}

TEST_F(NonInviteServerTransactionTest, ReliableTransportEndsAtTheFinalResponse) {
    create(TransportReliability::Reliable);
    ASSERT_TRUE(transaction->send_response(response(401)).has_value());
    EXPECT_EQ(terminated, TerminationReason::Finished);
    EXPECT_EQ(timers.running(), 0u);
}

TEST_F(NonInviteServerTransactionTest, TimerJFollowsConfiguredT1) {
    settings.t1 = 100ms;
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(200)).has_value());
    timers.advance(6399ms);
    EXPECT_FALSE(terminated.has_value());
    timers.advance(1ms);
    EXPECT_EQ(terminated, TerminationReason::Finished);
}

TEST_F(NonInviteServerTransactionTest, TransportErrorAndDestruction) {
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(200)).has_value());
    transaction->on_transport_error();
    EXPECT_EQ(terminated, TerminationReason::TransportError);
    EXPECT_EQ(timers.running(), 0u);

    terminated.reset();
    create(TransportReliability::Unreliable);
    ASSERT_TRUE(transaction->send_response(response(200)).has_value());
    transaction.reset();
    EXPECT_EQ(timers.running(), 0u);
    timers.advance(60s);
    EXPECT_FALSE(terminated.has_value());
}

TEST_F(NonInviteServerTransactionTest, RejectsBadInput) {
    create(TransportReliability::Unreliable);
    EXPECT_EQ(transaction->send_response(request).error().code, SipErrorCode::InvalidArgument);
    SipMessage broken = response(200);
    broken.add_header("Subject", "x\ny");
    EXPECT_EQ(transaction->send_response(broken).error().code, SipErrorCode::InvalidArgument);
    EXPECT_EQ(transaction->state(), NonInviteServerTransaction::State::Trying);

    ServerTransactionHooks hooks;
    for (const std::string& wrong : {test::invite_with_sdp(), test::sipp_uac_ack()}) {
        auto created = NonInviteServerTransaction::create(
            parsed(wrong), TransportReliability::Unreliable, timers, settings, hooks);
        EXPECT_FALSE(created.has_value());
    }
}

}  // namespace
}  // namespace agent::sip
