// DHCP Timeout on Renewal, SIP side: a real RegistrationClient on a fake
// flow and a hand-driven clock, watched by ProxySilenceWatch, reporting to a
// recording DHCP sink.
#include "voice/proxy_silence_watch.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_registrar_flow.hpp"
#include "fake_transaction_timers.hpp"
#include "sip/message_parser.hpp"
#include "sip/message_serializer.hpp"
#include "sip/registration_client.hpp"
#include "sip/response_builder.hpp"

namespace agent::voice {
namespace {

using namespace std::chrono_literals;

class RecordingTimeoutSink final : public dhcp_service::SipProxyTimeoutSink {
public:
    void proxy_unresponsive(std::chrono::seconds silent_for) override {
        reports.push_back(silent_for);
    }
    std::vector<std::chrono::seconds> reports;
};

sip::RegistrationSettings line_settings() {
    sip::RegistrationSettings settings;
    settings.enabled = true;
    settings.registrar = {"registrar.example", 5060, sip::TransportKind::Udp};
    settings.register_uri = "sip:1000@example.com";
    settings.username = "1000";
    settings.password = "secret";
    settings.expires = 3600s;
    settings.retry_interval = 30s;
    return settings;
}

class ProxySilenceWatchTest : public ::testing::Test {
protected:
    ProxySilenceWatchTest() {
        watch = std::make_unique<ProxySilenceWatch>(
            timers, [this] { return std::chrono::steady_clock::time_point(timers.now()); },
            [this] { return threshold; }, sink);
        client.set_transaction_observer([this](sip::RegistrationClient::TransactionEvent event) {
            watch->on_transaction(event);
        });
    }

    // Sends the first REGISTER.
    void register_line() {
        client.configure(line_settings());
        flow.complete_opens();
        ASSERT_EQ(flow.sent.size(), 1u);
    }

    // Answers the last REGISTER sent with `code`.
    void answer(int code) {
        auto request = sip::parse_sip_message(flow.sent.back(), {}, sip::Framing::Stream);
        ASSERT_TRUE(request.has_value()) << request.error().message;
        auto response = sip::build_response(*request, code, {.reason_phrase = {}, .to_tag = "t"});
        ASSERT_TRUE(response.has_value());
        auto wire = sip::serialize_sip_message(*response);
        ASSERT_TRUE(wire.has_value());
        auto parsed = sip::parse_sip_message(*wire, {}, sip::Framing::Stream);
        ASSERT_TRUE(parsed.has_value());
        EXPECT_TRUE(client.on_response(*parsed));
    }

    sip::test::FakeTransactionTimers timers;
    sip::test::FakeRegistrarFlow flow;
    sip::RegistrationClient client{timers, flow};
    RecordingTimeoutSink sink;
    std::chrono::seconds threshold{5};
    std::unique_ptr<ProxySilenceWatch> watch;
};

TEST_F(ProxySilenceWatchTest, AnUnansweredRegisterIsReportedOnceAtTheThreshold) {
    register_line();
    timers.advance(4999ms);
    EXPECT_TRUE(sink.reports.empty());
    timers.advance(1ms);
    ASSERT_EQ(sink.reports.size(), 1u);
    EXPECT_EQ(sink.reports[0], 5s);
    // Retransmissions until timer F are the same transaction.
    timers.advance(27s);
    EXPECT_GT(flow.sent.size(), 5u);
    EXPECT_EQ(sink.reports.size(), 1u);
}

TEST_F(ProxySilenceWatchTest, AProvisionalResponseBeforeTheThresholdPreventsTheReport) {
    register_line();
    timers.advance(2s);
    answer(100);
    // Timer F ends the transaction at 32 s without a report.
    timers.advance(31s);
    EXPECT_TRUE(sink.reports.empty());
    EXPECT_EQ(client.state(), sip::RegistrationClient::State::Error);
}

TEST_F(ProxySilenceWatchTest, AFinalResponseBeforeTheThresholdPreventsTheReport) {
    register_line();
    timers.advance(1s);
    answer(200);
    EXPECT_EQ(client.state(), sip::RegistrationClient::State::Registered);
    timers.advance(60s);
    EXPECT_TRUE(sink.reports.empty());
}

TEST_F(ProxySilenceWatchTest, ThresholdZeroNeverReports) {
    threshold = 0s;
    register_line();
    // Several unanswered transactions and retries.
    for (int retry = 0; retry < 5; ++retry) {
        timers.advance(600s);
        flow.complete_opens();
    }
    EXPECT_GT(flow.sent.size(), 22u);
    EXPECT_TRUE(sink.reports.empty());
}

TEST_F(ProxySilenceWatchTest, EachUnansweredRetryMayReportAgain) {
    register_line();
    timers.advance(32s);  // reported at 5 s, ended by timer F
    ASSERT_EQ(sink.reports.size(), 1u);
    timers.advance(30s);  // RegisterRetryInterval
    flow.complete_opens();
    // The proxy has been silent for 62 s already: the retry is reported
    // as soon as it is out, not from inside the client's send.
    EXPECT_EQ(sink.reports.size(), 1u);
    timers.advance(0ms);
    ASSERT_EQ(sink.reports.size(), 2u);
    EXPECT_EQ(sink.reports[1], 62s);
}

TEST_F(ProxySilenceWatchTest, AThresholdLongerThanOneTransactionCountsAcrossRetries) {
    threshold = 60s;
    register_line();
    timers.advance(32s);  // timer F: 32 s of silence
    EXPECT_TRUE(sink.reports.empty());
    timers.advance(30s);
    EXPECT_TRUE(sink.reports.empty()) << "no transaction outstanding, nothing to report";
    flow.complete_opens();
    timers.advance(0ms);
    ASSERT_EQ(sink.reports.size(), 1u);
    EXPECT_EQ(sink.reports[0], 62s);
}

TEST_F(ProxySilenceWatchTest, AnyResponseStartsTheSilenceAfresh) {
    threshold = 60s;
    register_line();
    timers.advance(10s);
    answer(100);
    timers.advance(22s);  // timer F at 32 s, retried at 62 s
    timers.advance(30s);
    flow.complete_opens();
    timers.advance(32s);  // silent since 62 s only: no report
    EXPECT_TRUE(sink.reports.empty());
    timers.advance(60s);  // the doubled retry wait
    flow.complete_opens();
    timers.advance(0ms);
    ASSERT_EQ(sink.reports.size(), 1u);
    EXPECT_EQ(sink.reports[0], 92s);
}

}  // namespace
}  // namespace agent::voice
