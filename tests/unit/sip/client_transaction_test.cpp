#include "sip/client_transaction.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "fake_transaction_timers.hpp"
#include "sip/message_parser.hpp"

namespace agent::sip {
namespace {

using namespace std::chrono_literals;

SipMessage response(int code, const std::string& branch = "z9hG4bKabc",
                    const std::string& method = "REGISTER") {
    const auto wire = "SIP/2.0 " + std::to_string(code) +
                      " X\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=" + branch +
                      "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 " +
                      method + "\r\nContent-Length: 0\r\n\r\n";
    auto parsed = parse_sip_message(wire);
    EXPECT_TRUE(parsed.has_value()) << parsed.error().message;
    return *parsed;
}

class ClientTransactionTest : public ::testing::Test {
protected:
    void create(bool reliable) {
        transaction = std::make_unique<NonInviteClientTransaction>(
            timers, settings, reliable, ClientTransactionKey{"z9hG4bKabc", "REGISTER"},
            "REGISTER wire",
            ClientTransactionHooks{
                .send =
                    [this](const std::string& wire) {
                        sends.push_back(timers.now());
                        EXPECT_EQ(wire, "REGISTER wire");
                        return send_works;
                    },
                .on_response =
                    [this](const SipMessage& message) {
                        responses.push_back(message.status_line().status_code);
                    },
                .on_failure = [this](const std::string& reason) { failure = reason; },
            });
        transaction->start();
    }

    test::FakeTransactionTimers timers;
    TransactionTimerSettings settings;
    std::unique_ptr<NonInviteClientTransaction> transaction;
    std::vector<std::chrono::milliseconds> sends;
    std::vector<int> responses;
    std::optional<std::string> failure;
    bool send_works = true;
};

TEST_F(ClientTransactionTest, UdpRetransmitsWithTimerEDoublingToT2ThenTimesOutWithF) {
    create(false);
    timers.advance(32s);
    // 0, 0.5, 1.5, 3.5, 7.5, then every 4 s until F at 32 s.
    const std::vector<std::chrono::milliseconds> expected{
        0ms, 500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms, 23500ms, 27500ms, 31500ms};
    EXPECT_EQ(sends, expected);
    ASSERT_TRUE(failure.has_value());
    EXPECT_NE(failure->find("timer F"), std::string::npos);
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Terminated);
    EXPECT_EQ(timers.running(), 0u);
}

TEST_F(ClientTransactionTest, ProvisionalMovesToProceedingAndRetransmitsEveryT2) {
    create(false);
    transaction->on_response(response(100));
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Proceeding);
    timers.advance(500ms);  // first E still at T1
    timers.advance(4s);
    ASSERT_EQ(sends.size(), 3u);
    EXPECT_EQ(sends[2] - sends[1], 4s);
    EXPECT_EQ(responses, std::vector<int>{100});
}

TEST_F(ClientTransactionTest, FinalResponseCompletesAndAbsorbsRetransmissionsForT4) {
    create(false);
    transaction->on_response(response(200));
    transaction->on_response(response(200));
    EXPECT_EQ(responses, std::vector<int>{200});
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Completed);
    timers.advance(4999ms);
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Completed);
    timers.advance(1ms);
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Terminated);
    EXPECT_EQ(sends.size(), 1u);
    EXPECT_FALSE(failure.has_value());
}

TEST_F(ClientTransactionTest, ReliableTransportNeverRetransmitsAndTerminatesOnFinal) {
    create(true);
    timers.advance(31s);
    EXPECT_EQ(sends.size(), 1u);
    transaction->on_response(response(401));
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Terminated);
    EXPECT_EQ(timers.running(), 0u);
}

TEST_F(ClientTransactionTest, ReliableTransportTimesOutWithF) {
    create(true);
    timers.advance(32s);
    EXPECT_TRUE(failure.has_value());
}

TEST_F(ClientTransactionTest, SendFailureAndTransportErrorEndTheTransaction) {
    send_works = false;
    create(false);
    ASSERT_TRUE(failure.has_value());
    EXPECT_EQ(transaction->state(), NonInviteClientTransaction::State::Terminated);
    EXPECT_EQ(timers.running(), 0u);

    send_works = true;
    failure.reset();
    create(true);
    transaction->on_transport_error("connection reset");
    EXPECT_EQ(failure, "connection reset");
}

TEST_F(ClientTransactionTest, TransactionUserMayDestroyTheTransactionFromItsHook) {
    transaction = std::make_unique<NonInviteClientTransaction>(
        timers, settings, false, ClientTransactionKey{"z9hG4bKabc", "REGISTER"}, "w",
        ClientTransactionHooks{.send = [](const std::string&) { return true; },
                               .on_response = [this](const SipMessage&) { transaction.reset(); },
                               .on_failure = [](const std::string&) {}});
    transaction->start();
    transaction->on_response(response(200));
    EXPECT_EQ(transaction, nullptr);
    EXPECT_EQ(timers.running(), 0u);
}

TEST(ClientTransactionKeyTest, MatchesBranchAndCSeqMethod) {
    const ClientTransactionKey key{"z9hG4bKabc", "REGISTER"};
    EXPECT_EQ(client_key_of_response(response(200)), key);
    EXPECT_FALSE(client_key_of_response(response(200, "z9hG4bKother")) == key);
    EXPECT_FALSE(client_key_of_response(response(200, "z9hG4bKabc", "OPTIONS")) == key);
}

}  // namespace
}  // namespace agent::sip
