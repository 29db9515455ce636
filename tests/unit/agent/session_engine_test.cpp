#include "session/session_engine.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <deque>
#include <optional>

#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "scripted_acs.hpp"
#include "test_model.hpp"

namespace agent {
namespace {

class SessionEngineTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    datamodel::Model model{testing::phone_definitions()};
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    testing::ScriptedAcs acs{io};
    rpc::RpcDispatcher dispatcher{model};
    SessionEngine engine{model, *codec, acs, dispatcher};

    http::Response soap(const cwmp::Envelope& envelope, cwmp::Namespace ns, long status = 200) {
        return answer(status, codec->encode(envelope, ns));
    }
    static http::Response answer(long status, std::string body = {}) {
        return testing::answer(status, std::move(body));
    }
    static http::Response no_content() { return answer(204); }

    std::optional<InformAcknowledged> acknowledged;

    SessionOutcome run(std::vector<cwmp::EventStruct> events) {
        SessionOutcome result;
        bool finished = false;
        acknowledged.reset();
        engine.start(SessionSettings{"http://acs.invalid/", {}}, std::move(events), 0,
                     {[&](const InformAcknowledged& ack) { acknowledged = ack; },
                      [&](SessionOutcome outcome) {
                          result = std::move(outcome);
                          finished = true;
                      }});
        io.restart();
        io.run();
        EXPECT_TRUE(finished);
        EXPECT_FALSE(engine.active());
        EXPECT_EQ(result.inform_acknowledged, acknowledged.has_value());
        return result;
    }

    cwmp::Decoded decode_posted(std::size_t index) {
        auto decoded = codec->decode(acs.posted.at(index).body);
        EXPECT_TRUE(decoded.has_value()) << acs.posted.at(index).body;
        return decoded ? *decoded : cwmp::Decoded{};
    }
};

TEST_F(SessionEngineTest, InformThenAcsRequestThenEndInTheAcsVersion) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    inform_response.header.id = "1";
    cwmp::Envelope gpv{
        {}, cwmp::GetParameterValues{{"Device.ManagementServer.PeriodicInformInterval"}}};
    gpv.header.id = "req-7";
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp10),
                   soap(gpv, cwmp::Namespace::Cwmp10), no_content()};

    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    ASSERT_TRUE(acknowledged);
    ASSERT_EQ(acknowledged->events.size(), 1u);
    EXPECT_EQ(acknowledged->ns, cwmp::Namespace::Cwmp10);
    EXPECT_EQ(acknowledged->acs_url, "http://acs.invalid/");
    ASSERT_EQ(acs.posted.size(), 3u);
    EXPECT_EQ(acs.channels_opened, 1);  // one connection and cookie jar per session

    // 1: the Inform, in cwmp-1-2 with SupportedCWMPVersions.
    const auto inform = decode_posted(0);
    EXPECT_EQ(inform.ns, cwmp::Namespace::Cwmp12);
    EXPECT_EQ(inform.envelope.header.supported_cwmp_versions, "1.0,1.1,1.2,1.3,1.4");
    const auto& body = std::get<cwmp::Inform>(inform.envelope.body);
    EXPECT_EQ(body.device_id.oui, model.value("Device.DeviceInfo.ManufacturerOUI"));
    EXPECT_EQ(body.event.at(0).event_code, "1 BOOT");
    EXPECT_EQ(body.max_envelopes, 1u);
    bool has_root_version = false;
    for (const auto& p : body.parameter_list) {
        has_root_version |= p.name == "Device.RootDataModelVersion";
    }
    EXPECT_TRUE(has_root_version) << "forced-inform parameter missing";

    // 2: the empty POST.
    EXPECT_TRUE(acs.posted[1].body.empty());

    // 3: the answer, in the ACS's namespace, with the request's ID.
    const auto answer = decode_posted(2);
    EXPECT_EQ(answer.ns, cwmp::Namespace::Cwmp10);
    EXPECT_EQ(answer.envelope.header.id, "req-7");
    const auto& values = std::get<cwmp::GetParameterValuesResponse>(answer.envelope.body);
    ASSERT_EQ(values.parameter_list.size(), 1u);
    EXPECT_EQ(values.parameter_list[0].type, "xsd:unsignedInt");
}

TEST_F(SessionEngineTest, UnknownMethodIsAnsweredWithFault9000AndTheSessionGoesOn) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    const std::string unknown =
        R"(<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">x-1</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:X_VENDOR_Frobnicate/></soap-env:Body></soap-env:Envelope>)";
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp12), answer(200, unknown),
                   no_content()};
    const auto outcome = run({{std::string(cwmp::event::kPeriodic), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    const auto fault = decode_posted(2);
    EXPECT_EQ(fault.envelope.header.id, "x-1");
    EXPECT_EQ(std::get<cwmp::Fault>(fault.envelope.body).fault_code, cwmp::kMethodNotSupported);
}

TEST_F(SessionEngineTest, VersionFault8006RetriesTheInformInAnOlderVersion) {
    cwmp::Envelope refused{{}, cwmp::Fault{cwmp::kAcsVersionIncompatible, "no", {}}};
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    acs.answers = {soap(refused, cwmp::Namespace::Cwmp12),
                   soap(inform_response, cwmp::Namespace::Cwmp11), no_content()};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(decode_posted(1).ns, cwmp::Namespace::Cwmp11);
}

TEST_F(SessionEngineTest, HttpErrorsAndTransportErrorsFailTheSession) {
    acs.answers = {answer(500)};
    auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_NE(outcome.error.find("500"), std::string::npos) << outcome.error;

    acs.answers = {phonecwmp::Unexpected(http::TransportError{"Connection refused"})};
    outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_NE(outcome.error.find("Connection refused"), std::string::npos) << outcome.error;
}

TEST_F(SessionEngineTest, GarbageInsteadOfInformResponseFailsTheSession) {
    acs.answers = {answer(200, "<html>hello</html>")};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_FALSE(outcome.inform_acknowledged);
}

TEST_F(SessionEngineTest, SetParameterValuesInASessionChangesTheModel) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    cwmp::SetParameterValues spv;
    spv.parameter_list = {
        {"Device.ManagementServer.PeriodicInformInterval", "42", "xsd:unsignedInt"}};
    spv.parameter_key = "k42";
    cwmp::Envelope request{{}, spv};
    request.header.id = "spv-1";
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp10),
                   soap(request, cwmp::Namespace::Cwmp10), no_content()};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(model.value("Device.ManagementServer.PeriodicInformInterval"), "42");
    EXPECT_EQ(model.value("Device.ManagementServer.ParameterKey"), "k42");
    const auto answer = decode_posted(2);
    EXPECT_EQ(std::get<cwmp::SetParameterValuesResponse>(answer.envelope.body).status, 0);
}

TEST_F(SessionEngineTest, VersionFaultSentWithHttp500IsHonoured) {
    // SOAP 1.1 carries faults with HTTP 500.
    cwmp::Envelope refused{{}, cwmp::Fault{cwmp::kAcsVersionIncompatible, "no", {}}};
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    acs.answers = {soap(refused, cwmp::Namespace::Cwmp12, 500),
                   soap(inform_response, cwmp::Namespace::Cwmp11), no_content()};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(decode_posted(1).ns, cwmp::Namespace::Cwmp11);
}

TEST_F(SessionEngineTest, AnInformResponseSentWithHttp500IsNotAnAcknowledgement) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp12, 500)};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_FALSE(outcome.inform_acknowledged);
}

TEST_F(SessionEngineTest, UseCwmpVersionHeaderSetsTheSessionVersion) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    inform_response.header.use_cwmp_version = "1.1";
    cwmp::Envelope gpn{{}, cwmp::GetParameterNames{"Device.DeviceInfo.", true}};
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp12),
                   soap(gpn, cwmp::Namespace::Cwmp12), no_content()};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    ASSERT_TRUE(acknowledged);
    EXPECT_EQ(acknowledged->ns, cwmp::Namespace::Cwmp11);
}

TEST_F(SessionEngineTest, AnEmpty200EndsTheSession) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp12), answer(200, "\r\n")};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(acs.posted.size(), 2u);
}

TEST_F(SessionEngineTest, RefusedCredentialsFailTheSession) {
    acs.answers = {answer(401)};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_NE(outcome.error.find("401"), std::string::npos) << outcome.error;
}

TEST_F(SessionEngineTest, FailureAfterTheInformResponseKeepsTheAcknowledgement) {
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    acs.answers = {soap(inform_response, cwmp::Namespace::Cwmp12), answer(500)};
    const auto outcome = run({{std::string(cwmp::event::kBootstrap), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_TRUE(outcome.inform_acknowledged);
}

TEST_F(SessionEngineTest, RedirectIsFollowedForTheRestOfTheSession) {
    http::Response moved = answer(307);
    moved.redirect_url = "http://elsewhere.invalid/cwmp";
    cwmp::Envelope inform_response{{}, cwmp::InformResponse{1}};
    acs.answers = {moved, soap(inform_response, cwmp::Namespace::Cwmp12), no_content()};
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    ASSERT_TRUE(outcome.success) << outcome.error;
    ASSERT_EQ(acs.posted.size(), 3u);
    EXPECT_EQ(acs.posted[0].url, "http://acs.invalid/");
    EXPECT_EQ(acs.posted[1].url, "http://elsewhere.invalid/cwmp");
    EXPECT_EQ(acs.posted[1].body, acs.posted[0].body);  // the same Inform, re-posted
    EXPECT_EQ(acs.posted[2].url, "http://elsewhere.invalid/cwmp");
    EXPECT_TRUE(acs.posted[2].body.empty());
    EXPECT_EQ(acknowledged->acs_url, "http://elsewhere.invalid/cwmp");
}

TEST_F(SessionEngineTest, RedirectFromHttpsToHttpIsRefused) {
    http::Response moved = answer(302);
    moved.redirect_url = "http://acs.invalid/plain";
    acs.answers = {moved};
    SessionOutcome result;
    engine.start(SessionSettings{"https://acs.invalid/", {}}, {{"1 BOOT", ""}}, 0,
                 {nullptr, [&](SessionOutcome outcome) { result = std::move(outcome); }});
    io.run();
    EXPECT_FALSE(result.success);
    EXPECT_NE(result.error.find("refused a redirect"), std::string::npos) << result.error;
    EXPECT_EQ(acs.posted.size(), 1u);
}

TEST_F(SessionEngineTest, RedirectLoopsAreCut) {
    http::Response moved = answer(302);
    moved.redirect_url = "http://acs.invalid/again";
    acs.answers.assign(10, http::Result(moved));
    const auto outcome = run({{std::string(cwmp::event::kBoot), ""}});
    EXPECT_FALSE(outcome.success);
    EXPECT_NE(outcome.error.find("redirects"), std::string::npos) << outcome.error;
    EXPECT_EQ(acs.posted.size(), 6u);
}

}  // namespace
}  // namespace agent
