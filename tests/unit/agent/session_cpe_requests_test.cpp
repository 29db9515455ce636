// The CPE's own requests in a session (TransferComplete, GetRPCMethods):
// sent after the InformResponse, held while the ACS says HoldRequests,
// retried on 8005, and the events they deliver acknowledged only by their
// response.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>

#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "scripted_acs.hpp"
#include "session/session_engine.hpp"
#include "test_model.hpp"

namespace agent {
namespace {

const cwmp::EventStruct kTransferCompleteEvent{std::string(cwmp::event::kTransferComplete), ""};
const cwmp::EventStruct kBootEvent{std::string(cwmp::event::kBoot), ""};

cwmp::EventStruct download_event(const std::string& key) {
    return {std::string(cwmp::event::kMDownload), key};
}

class SessionCpeRequestsTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    datamodel::Model model{testing::phone_definitions()};
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    testing::ScriptedAcs acs{io};
    rpc::RpcDispatcher dispatcher{model};
    SessionEngine engine{model, *codec, acs, dispatcher};

    std::optional<InformAcknowledged> acknowledged;
    std::vector<std::vector<cwmp::EventStruct>> delivered;
    std::vector<std::string> answered;  // CommandKeys of answered TransferCompletes

    http::Response soap(cwmp::Body body, std::optional<bool> hold = std::nullopt,
                        cwmp::Namespace ns = cwmp::Namespace::Cwmp12) {
        cwmp::Envelope envelope{{}, std::move(body)};
        envelope.header.id = "acs-1";
        envelope.header.hold_requests = hold;
        return testing::answer(200, codec->encode(envelope, ns));
    }
    static http::Response no_content() { return testing::answer(204); }

    CpeRequest transfer_complete(const std::string& key, std::uint32_t fault = 0) {
        CpeRequest request;
        request.body = cwmp::TransferComplete{
            key, {fault, fault ? "failed" : ""}, "2026-11-27T01:00:00Z", "2026-11-27T01:00:05Z"};
        request.events = {kTransferCompleteEvent, download_event(key)};
        request.answered = [this, key](const cwmp::Body& response) {
            EXPECT_TRUE(std::holds_alternative<cwmp::TransferCompleteResponse>(response));
            answered.push_back(key);
        };
        return request;
    }

    SessionOutcome run(std::vector<CpeRequest> requests, std::vector<cwmp::EventStruct> events) {
        SessionOutcome result;
        bool finished = false;
        SessionSettings settings{"http://acs.invalid/", {}};
        settings.requests = std::move(requests);
        engine.start(
            settings, std::move(events), 0,
            {[&](const InformAcknowledged& ack) { acknowledged = ack; },
             [&](SessionOutcome outcome) {
                 result = std::move(outcome);
                 finished = true;
             },
             [&](const std::vector<cwmp::EventStruct>& owed) { delivered.push_back(owed); }});
        io.restart();
        io.run();
        EXPECT_TRUE(finished);
        return result;
    }

    cwmp::Envelope posted(std::size_t index) {
        auto decoded = codec->decode(acs.posted.at(index).body);
        EXPECT_TRUE(decoded.has_value()) << acs.posted.at(index).body;
        return decoded ? decoded->envelope : cwmp::Envelope{};
    }
};

TEST_F(SessionCpeRequestsTest, TransferCompleteFollowsTheInformResponseAndDeliversItsEvents) {
    acs.answers = {soap(cwmp::InformResponse{1}), soap(cwmp::TransferCompleteResponse{}),
                   no_content()};
    const auto outcome = run({transfer_complete("fw-1")},
                             {kBootEvent, kTransferCompleteEvent, download_event("fw-1")});
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_FALSE(outcome.requests_pending);
    ASSERT_EQ(acs.posted.size(), 3u);
    const auto request = posted(1);
    const auto& complete = std::get<cwmp::TransferComplete>(request.body);
    EXPECT_EQ(complete.command_key, "fw-1");
    EXPECT_EQ(complete.start_time, "2026-11-27T01:00:00Z");
    EXPECT_TRUE(request.header.id.has_value());
    EXPECT_TRUE(acs.posted[2].body.empty()) << "the empty POST ends the CPE's requests";

    // The InformResponse acknowledges only what no request holds back.
    ASSERT_TRUE(acknowledged);
    EXPECT_EQ(acknowledged->events, std::vector<cwmp::EventStruct>{kBootEvent});
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0],
              (std::vector<cwmp::EventStruct>{kTransferCompleteEvent, download_event("fw-1")}));
    EXPECT_EQ(answered, std::vector<std::string>{"fw-1"});
}

TEST_F(SessionCpeRequestsTest, SharedEventIsDeliveredByTheLastRequestThatListsIt) {
    acs.answers = {soap(cwmp::InformResponse{1}), soap(cwmp::TransferCompleteResponse{}),
                   soap(cwmp::TransferCompleteResponse{}), no_content()};
    const auto outcome = run({transfer_complete("a"), transfer_complete("b")},
                             {kTransferCompleteEvent, download_event("a"), download_event("b")});
    ASSERT_TRUE(outcome.success) << outcome.error;
    ASSERT_EQ(delivered.size(), 2u);
    EXPECT_EQ(delivered[0], std::vector<cwmp::EventStruct>{download_event("a")});
    EXPECT_EQ(delivered[1],
              (std::vector<cwmp::EventStruct>{kTransferCompleteEvent, download_event("b")}));
}

TEST_F(SessionCpeRequestsTest, Fault8005IsRetriedThenAnsweredInTheSameSession) {
    acs.answers = {soap(cwmp::InformResponse{1}),
                   soap(cwmp::Fault{cwmp::kAcsRetryRequest, "busy", {}}),
                   soap(cwmp::Fault{cwmp::kAcsRetryRequest, "busy", {}}),
                   soap(cwmp::TransferCompleteResponse{}), no_content()};
    const auto outcome =
        run({transfer_complete("k")}, {kTransferCompleteEvent, download_event("k")});
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_FALSE(outcome.requests_pending);
    ASSERT_EQ(acs.posted.size(), 5u);
    for (std::size_t i = 1; i <= 3; ++i) {
        EXPECT_TRUE(std::holds_alternative<cwmp::TransferComplete>(posted(i).body)) << i;
    }
    EXPECT_EQ(answered, std::vector<std::string>{"k"});
}

TEST_F(SessionCpeRequestsTest, EndlessRetryFaultsLeaveTheRequestForTheNextSession) {
    acs.answers = {soap(cwmp::InformResponse{1})};
    for (unsigned i = 0; i <= SessionEngine::kMaxRetriesPerRequest; ++i) {
        acs.answers.push_back(soap(cwmp::Fault{cwmp::kAcsRetryRequest, "busy", {}}));
    }
    acs.answers.push_back(no_content());
    const auto outcome =
        run({transfer_complete("k")}, {kTransferCompleteEvent, download_event("k")});
    EXPECT_TRUE(outcome.success) << outcome.error;
    EXPECT_TRUE(outcome.requests_pending);
    EXPECT_TRUE(answered.empty());
    EXPECT_TRUE(delivered.empty());
    ASSERT_TRUE(acknowledged);
    EXPECT_TRUE(acknowledged->events.empty()) << "held events stay owed";
    EXPECT_EQ(acs.posted.size(), 2u + SessionEngine::kMaxRetriesPerRequest + 1u);
}

TEST_F(SessionCpeRequestsTest, OtherFaultSkipsThatRequestButNotTheNext) {
    acs.answers = {soap(cwmp::InformResponse{1}),
                   soap(cwmp::Fault{cwmp::kAcsInvalidArguments, "bad", {}}),
                   soap(cwmp::TransferCompleteResponse{}), no_content()};
    const auto outcome = run({transfer_complete("a"), transfer_complete("b")},
                             {kTransferCompleteEvent, download_event("a"), download_event("b")});
    EXPECT_TRUE(outcome.success) << outcome.error;
    EXPECT_TRUE(outcome.requests_pending);
    EXPECT_EQ(answered, std::vector<std::string>{"b"});
    // "7 TRANSFER COMPLETE" is still owed with "a".
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0], std::vector<cwmp::EventStruct>{download_event("b")});
}

TEST_F(SessionCpeRequestsTest, HoldRequestsDefersTheRequestUntilTheAcsIsDone) {
    acs.answers = {soap(cwmp::InformResponse{1}, true),
                   soap(cwmp::GetParameterValues{{"Device.DeviceInfo.SoftwareVersion"}}, true),
                   no_content(), soap(cwmp::TransferCompleteResponse{}), no_content()};
    const auto outcome =
        run({transfer_complete("k")}, {kTransferCompleteEvent, download_event("k")});
    ASSERT_TRUE(outcome.success) << outcome.error;
    ASSERT_EQ(acs.posted.size(), 5u);
    EXPECT_TRUE(acs.posted[1].body.empty()) << "held: the empty POST instead of our request";
    EXPECT_TRUE(std::holds_alternative<cwmp::GetParameterValuesResponse>(posted(2).body));
    EXPECT_TRUE(std::holds_alternative<cwmp::TransferComplete>(posted(3).body))
        << "after the ACS's 204 the held request goes";
    EXPECT_TRUE(acs.posted[4].body.empty());
    EXPECT_EQ(answered, std::vector<std::string>{"k"});
}

TEST_F(SessionCpeRequestsTest, HoldRequestsLiftedByAnAcsRequestStillWaitsForItsTurn) {
    // A request without HoldRequests lifts the hold, but the CPE's POST then
    // carries the response; its own request goes after the ACS's 204.
    acs.answers = {soap(cwmp::InformResponse{1}, true),
                   soap(cwmp::GetParameterValues{{"Device.DeviceInfo.SoftwareVersion"}}),
                   no_content(), soap(cwmp::TransferCompleteResponse{}), no_content()};
    const auto outcome =
        run({transfer_complete("k")}, {kTransferCompleteEvent, download_event("k")});
    ASSERT_TRUE(outcome.success) << outcome.error;
    ASSERT_EQ(acs.posted.size(), 5u);
    EXPECT_TRUE(std::holds_alternative<cwmp::TransferComplete>(posted(3).body));
}

TEST_F(SessionCpeRequestsTest, GetRpcMethodsIsAnsweredWithTheAcsMethods) {
    std::vector<std::string> methods;
    CpeRequest request;
    request.body = cwmp::GetRPCMethods{};
    request.answered = [&](const cwmp::Body& response) {
        methods = std::get<cwmp::GetRPCMethodsResponse>(response).method_list;
    };
    acs.answers = {soap(cwmp::InformResponse{1}),
                   soap(cwmp::GetRPCMethodsResponse{{"Inform", "TransferComplete"}}), no_content()};
    std::vector<CpeRequest> requests;
    requests.push_back(std::move(request));
    const auto outcome = run(std::move(requests), {kBootEvent});
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(methods, (std::vector<std::string>{"Inform", "TransferComplete"}));
    EXPECT_TRUE(std::holds_alternative<cwmp::GetRPCMethods>(posted(1).body));
}

TEST_F(SessionCpeRequestsTest, WrongResponseOrBrokenSessionKeepsTheEventsOwed) {
    acs.answers = {soap(cwmp::InformResponse{1}), soap(cwmp::GetRPCMethodsResponse{{}})};
    auto outcome = run({transfer_complete("k")}, {kTransferCompleteEvent, download_event("k")});
    EXPECT_FALSE(outcome.success);
    EXPECT_TRUE(outcome.requests_pending);
    EXPECT_NE(outcome.error.find("TransferCompleteResponse"), std::string::npos) << outcome.error;

    acs.posted.clear();
    acs.answers = {soap(cwmp::InformResponse{1}), no_content()};
    outcome = run({transfer_complete("k")}, {kTransferCompleteEvent, download_event("k")});
    EXPECT_FALSE(outcome.success) << "a 204 is no answer to our request";
    EXPECT_TRUE(outcome.requests_pending);
    EXPECT_TRUE(answered.empty());
    EXPECT_TRUE(delivered.empty());
}

}  // namespace
}  // namespace agent
