// The CWMP state machine driven with envelopes encoded by the project's codec,
// as a CPE would send them, and its replies decoded again.
#include "session/cwmp_endpoint.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "presets/preset_json.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_key;

constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";

class CwmpEndpointTest : public ::testing::Test {
protected:
    std::string encode(cwmp::Body body, cwmp::Namespace ns = cwmp::Namespace::Cwmp12,
                       std::optional<std::string> id = "cpe-1") {
        cwmp::Envelope envelope;
        envelope.header.id = std::move(id);
        envelope.body = std::move(body);
        return codec->encode(envelope, ns);
    }

    // Posts with the session cookie from the last InformResponse.
    CwmpReply post(const std::string& body, int seconds = 1) {
        return endpoint.handle(CwmpRequest{body, cookie, {}}, at(seconds));
    }

    CwmpReply inform(cwmp::Namespace ns = cwmp::Namespace::Cwmp12,
                     std::vector<std::string> events = {"1 BOOT"}, int seconds = 0) {
        auto reply = endpoint.handle(
            CwmpRequest{encode(test::phone_inform(std::move(events)), ns, "inform-1"), {}, {}},
            at(seconds));
        cookie = reply.set_cookie.substr(0, reply.set_cookie.find(';'));
        return reply;
    }

    cwmp::Decoded decode(const CwmpReply& reply) {
        auto decoded = codec->decode(reply.body);
        EXPECT_TRUE(decoded) << reply.body;
        if (!decoded) return {};
        return std::move(*decoded);
    }

    std::string queue(TaskSpec spec, std::string id) {
        Task task;
        task.id = std::move(id);
        task.device_id = phone_key();
        task.spec = std::move(spec);
        task.timestamp = at();
        registry.add_task(task);
        return task.id;
    }

    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    InMemoryRegistry registry;
    IdGenerator ids{1};
    CwmpEndpoint endpoint{registry, *codec, ids};
    std::string cookie;
};

TEST_F(CwmpEndpointTest, InformInCwmp10IsAnsweredInCwmp10EchoingItsId) {
    auto reply = inform(cwmp::Namespace::Cwmp10);
    ASSERT_EQ(reply.status, 200U) << reply.body;
    EXPECT_EQ(reply.content_type, "text/xml; charset=\"utf-8\"");
    EXPECT_NE(reply.body.find("urn:dslforum-org:cwmp-1-0"), std::string::npos);
    const auto decoded = decode(reply);
    EXPECT_EQ(decoded.ns, cwmp::Namespace::Cwmp10);
    EXPECT_EQ(decoded.envelope.header.id, "inform-1");
    ASSERT_TRUE(std::holds_alternative<cwmp::InformResponse>(decoded.envelope.body));
    EXPECT_EQ(std::get<cwmp::InformResponse>(decoded.envelope.body).max_envelopes, 1U);
}

TEST_F(CwmpEndpointTest, InformRegistersTheDeviceAndSetsASessionCookie) {
    auto reply = inform();
    EXPECT_EQ(reply.set_cookie.rfind("session=", 0), 0U) << reply.set_cookie;
    EXPECT_NE(reply.set_cookie.find("Path=/"), std::string::npos);
    EXPECT_FALSE(reply.session.empty());
    EXPECT_EQ(cookie, "session=" + reply.session);
    EXPECT_EQ(endpoint.session_count(), 1U);
    const auto device = registry.find_device(phone_key());
    ASSERT_TRUE(device);
    EXPECT_EQ(device->last_events.at(0).event_code, "1 BOOT");
    EXPECT_EQ(device->parameters.at(kInterval).value, "900");
}

class CwmpEndpointNamespaceTest : public CwmpEndpointTest,
                                  public ::testing::WithParamInterface<cwmp::Namespace> {};

TEST_P(CwmpEndpointNamespaceTest, EveryRequestIsAnsweredInTheInformsNamespace) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    ASSERT_EQ(decode(inform(GetParam())).ns, GetParam());
    auto request = post("");
    ASSERT_EQ(request.status, 200U);
    EXPECT_EQ(decode(request).ns, GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllVersions, CwmpEndpointNamespaceTest,
                         ::testing::Values(cwmp::Namespace::Cwmp10, cwmp::Namespace::Cwmp11,
                                           cwmp::Namespace::Cwmp12, cwmp::Namespace::Cwmp13,
                                           cwmp::Namespace::Cwmp14),
                         [](const ::testing::TestParamInfo<cwmp::Namespace>& tested) {
                             // "urn:dslforum-org:cwmp-1-0" -> "cwmp_1_0"
                             std::string name{cwmp::namespace_uri(tested.param)};
                             name = name.substr(name.rfind(':') + 1);
                             for (auto& c : name) {
                                 if (c == '-') c = '_';
                             }
                             return name;
                         });

TEST_F(CwmpEndpointTest, EmptyPostWithNothingQueuedEndsTheSessionWith204) {
    inform();
    auto reply = post("");
    EXPECT_EQ(reply.status, 204U);
    EXPECT_TRUE(reply.body.empty());
    EXPECT_TRUE(reply.content_type.empty());
    EXPECT_TRUE(reply.session.empty());
    EXPECT_EQ(endpoint.session_count(), 0U);
    // The session is over: the cookie no longer opens it.
    EXPECT_EQ(post("").status, 400U);
}

TEST_F(CwmpEndpointTest, QueuedGetParameterValuesRunsAndItsAnswerUpdatesTheCache) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    inform(cwmp::Namespace::Cwmp10);

    auto request = post("", 1);
    ASSERT_EQ(request.status, 200U) << request.body;
    const auto sent = decode(request);
    ASSERT_TRUE(sent.envelope.header.id);
    EXPECT_NE(*sent.envelope.header.id, "inform-1");
    ASSERT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(sent.envelope.body));
    EXPECT_EQ(std::get<cwmp::GetParameterValues>(sent.envelope.body).parameter_names,
              (std::vector<std::string>{kInterval}));

    auto end = post(encode(cwmp::GetParameterValuesResponse{{{kInterval, "30", "xsd:unsignedInt"}}},
                           cwmp::Namespace::Cwmp10, sent.envelope.header.id),
                    2);
    EXPECT_EQ(end.status, 204U);
    EXPECT_TRUE(end.body.empty());
    const auto cached = registry.find_parameter(phone_key(), kInterval);
    EXPECT_EQ(cached->value, "30");
    EXPECT_EQ(cached->timestamp, at(2));
    EXPECT_EQ(registry.find_task("t1")->state, TaskState::Done);
    EXPECT_TRUE(registry.open_tasks().empty());
}

TEST_F(CwmpEndpointTest, TasksRunInOrderInOneSessionEachRpcWithANewId) {
    queue(SetParameterValuesTask{{{kInterval, "3", "xsd:unsignedInt"}}}, "t1");
    queue(GetParameterValuesTask{{kInterval}}, "t2");
    inform();

    const auto spv = decode(post(""));
    ASSERT_TRUE(std::holds_alternative<cwmp::SetParameterValues>(spv.envelope.body));
    const auto& set = std::get<cwmp::SetParameterValues>(spv.envelope.body);
    EXPECT_EQ(set.parameter_list,
              (std::vector<cwmp::ParameterValue>{{kInterval, "3", "xsd:unsignedInt"}}));
    EXPECT_EQ(set.parameter_key, "t1");
    EXPECT_EQ(registry.find_parameter(phone_key(), kInterval)->value, "900");

    const auto gpv = decode(post(encode(cwmp::SetParameterValuesResponse{0},
                                        cwmp::Namespace::Cwmp12, spv.envelope.header.id)));
    EXPECT_EQ(registry.find_parameter(phone_key(), kInterval)->value, "3");
    EXPECT_EQ(registry.find_task("t1")->state, TaskState::Done);
    ASSERT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(gpv.envelope.body));
    EXPECT_NE(gpv.envelope.header.id, spv.envelope.header.id);

    auto end = post(encode(cwmp::GetParameterValuesResponse{{{kInterval, "3", "xsd:unsignedInt"}}},
                           cwmp::Namespace::Cwmp12, gpv.envelope.header.id));
    EXPECT_EQ(end.status, 204U);
    EXPECT_EQ(registry.find_task("t2")->state, TaskState::Done);
}

TEST_F(CwmpEndpointTest, ACpeFaultIsRecordedOnTheTaskAndTheNextTaskRuns) {
    queue(GetParameterValuesTask{{"Device.Nope"}}, "t1");
    queue(RebootTask{}, "t2");
    inform();
    const auto gpv = decode(post(""));
    const auto next = decode(post(encode(cwmp::Fault{9005, "Invalid parameter name", {}},
                                         cwmp::Namespace::Cwmp12, gpv.envelope.header.id)));
    ASSERT_TRUE(std::holds_alternative<cwmp::Reboot>(next.envelope.body));

    const auto faulted = registry.find_task("t1");
    EXPECT_EQ(faulted->state, TaskState::Fault);
    EXPECT_EQ(faulted->fault->code, "cwmp.9005");
    EXPECT_EQ(faulted->fault->message, "Invalid parameter name");
    EXPECT_EQ(faulted->fault->detail->fault_code, 9005U);

    EXPECT_EQ(post(encode(cwmp::RebootResponse{}, cwmp::Namespace::Cwmp12, next.envelope.header.id))
                  .status,
              204U);
    // A faulted task is not sent again in the next session.
    inform(cwmp::Namespace::Cwmp12, {"1 BOOT", "M Reboot"}, 10);
    EXPECT_EQ(post("", 11).status, 204U);
    EXPECT_EQ(registry.find_task("t1")->state, TaskState::Fault);
}

TEST_F(CwmpEndpointTest, TheCookieOrTheConnectionIdentifiesTheSession) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    const auto token = inform().session;
    // Neither cookie nor connection: not part of any session.
    auto stranger = endpoint.handle(CwmpRequest{"", {}, {}}, at(1));
    EXPECT_EQ(stranger.status, 400U);
    EXPECT_NE(stranger.body.find("Inform"), std::string::npos);
    EXPECT_EQ(endpoint.handle(CwmpRequest{"", "session=unknown", {}}, at(1)).status, 400U);
    // Other cookies around ours, and quoting, are fine.
    auto with_cookie =
        endpoint.handle(CwmpRequest{"", "theme=dark; session=\"" + token + "\"; x=1", {}}, at(1));
    ASSERT_EQ(with_cookie.status, 200U);
    EXPECT_EQ(with_cookie.session, token);
    // A CPE that dropped the cookie but kept the connection.
    const auto sent = decode(with_cookie);
    auto by_connection = endpoint.handle(
        CwmpRequest{encode(cwmp::GetParameterValuesResponse{{{kInterval, "1", "xsd:unsignedInt"}}},
                           cwmp::Namespace::Cwmp12, sent.envelope.header.id),
                    {},
                    token},
        at(2));
    EXPECT_EQ(by_connection.status, 204U);
    EXPECT_EQ(registry.find_parameter(phone_key(), kInterval)->value, "1");
}

TEST_F(CwmpEndpointTest, ADecodeErrorIs400WithATextBodyAndTheSessionGoesOn) {
    queue(RebootTask{}, "t1");
    inform();
    auto reply = post("<not-soap/>");
    EXPECT_EQ(reply.status, 400U);
    EXPECT_EQ(reply.content_type, "text/plain; charset=utf-8");
    EXPECT_NE(reply.body.find("CWMP decode error"), std::string::npos) << reply.body;
    EXPECT_EQ(post("garbage <<<").status, 400U);
    // The session survives a bad message.
    auto request = post("");
    EXPECT_EQ(request.status, 200U);
    EXPECT_TRUE(std::holds_alternative<cwmp::Reboot>(decode(request).envelope.body));
}

TEST_F(CwmpEndpointTest, AMessageOtherThanInformCannotStartASession) {
    cwmp::TransferComplete transfer;
    transfer.command_key = "k";
    auto reply = endpoint.handle(CwmpRequest{encode(transfer), {}, {}}, at());
    EXPECT_EQ(reply.status, 400U);
    EXPECT_NE(reply.body.find("TransferComplete outside a session"), std::string::npos);
    EXPECT_EQ(endpoint.session_count(), 0U);
}

TEST_F(CwmpEndpointTest, TransferCompleteIsAnsweredInItsNamespaceWithItsId) {
    inform(cwmp::Namespace::Cwmp10);
    cwmp::TransferComplete transfer;
    transfer.command_key = "download-1";
    transfer.fault_struct = {9010, "Download failed"};
    auto reply = post(encode(transfer, cwmp::Namespace::Cwmp10, "tc-7"));
    ASSERT_EQ(reply.status, 200U) << reply.body;
    const auto decoded = decode(reply);
    EXPECT_EQ(decoded.ns, cwmp::Namespace::Cwmp10);
    EXPECT_EQ(decoded.envelope.header.id, "tc-7");
    EXPECT_TRUE(std::holds_alternative<cwmp::TransferCompleteResponse>(decoded.envelope.body));
    EXPECT_EQ(post("").status, 204U);
}

TEST_F(CwmpEndpointTest, GetRpcMethodsListsTheAcsMethods) {
    inform();
    const auto decoded = decode(post(encode(cwmp::GetRPCMethods{}, cwmp::Namespace::Cwmp12, "g1")));
    EXPECT_EQ(decoded.envelope.header.id, "g1");
    ASSERT_TRUE(std::holds_alternative<cwmp::GetRPCMethodsResponse>(decoded.envelope.body));
    EXPECT_EQ(std::get<cwmp::GetRPCMethodsResponse>(decoded.envelope.body).method_list,
              (std::vector<std::string>{"Inform", "GetRPCMethods", "TransferComplete"}));
}

TEST_F(CwmpEndpointTest, AMethodTheAcsDoesNotServeGetsFault8000) {
    inform();
    const auto decoded =
        decode(post(encode(cwmp::GetParameterValues{{"Device."}}, cwmp::Namespace::Cwmp12, "x1")));
    EXPECT_EQ(decoded.envelope.header.id, "x1");
    ASSERT_TRUE(std::holds_alternative<cwmp::Fault>(decoded.envelope.body));
    EXPECT_EQ(std::get<cwmp::Fault>(decoded.envelope.body).fault_code, 8000U);
}

TEST_F(CwmpEndpointTest, AnUnknownCpeMethodGetsFault8000WithItsId) {
    inform(cwmp::Namespace::Cwmp10);
    const std::string request =
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" )"
        R"(xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Header>)"
        R"(<cwmp:ID soap-env:mustUnderstand="1">req-9</cwmp:ID></soap-env:Header>)"
        R"(<soap-env:Body><cwmp:RequestDownload><FileType>3 Vendor Configuration File)"
        R"(</FileType></cwmp:RequestDownload></soap-env:Body></soap-env:Envelope>)";
    auto reply = post(request);
    ASSERT_EQ(reply.status, 200U) << reply.body;
    const auto decoded = decode(reply);
    EXPECT_EQ(decoded.ns, cwmp::Namespace::Cwmp10);
    EXPECT_EQ(decoded.envelope.header.id, "req-9");
    ASSERT_TRUE(std::holds_alternative<cwmp::Fault>(decoded.envelope.body));
    EXPECT_EQ(std::get<cwmp::Fault>(decoded.envelope.body).fault_code, 8000U);
}

TEST_F(CwmpEndpointTest, AnUnansweredTaskStaysPendingWhenTheCpeStartsOver) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    inform();
    ASSERT_EQ(post("").status, 200U);  // GPV in flight
    inform(cwmp::Namespace::Cwmp12, {"1 BOOT"}, 5);
    EXPECT_EQ(endpoint.session_count(), 1U);
    auto task = registry.find_task("t1");
    EXPECT_EQ(task->state, TaskState::Pending);
    EXPECT_EQ(task->attempts, 1U);
    // Sent again in the new session.
    auto again = post("", 6);
    ASSERT_EQ(again.status, 200U);
    EXPECT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(decode(again).envelope.body));
}

TEST_F(CwmpEndpointTest, ATaskIsNotRetriedForever) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    queue(RebootTask{}, "t2");
    for (int session = 0; session < 3; ++session) {
        inform(cwmp::Namespace::Cwmp12, {"2 PERIODIC"}, session * 10);
        const auto sent = decode(post("", session * 10 + 1));
        ASSERT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(sent.envelope.body));
    }
    // The CPE starts over a third time without answering: the task faults
    // and the next one runs.
    inform(cwmp::Namespace::Cwmp12, {"2 PERIODIC"}, 40);
    const auto task = registry.find_task("t1");
    EXPECT_EQ(task->state, TaskState::Fault);
    EXPECT_EQ(task->fault->code, "session_terminated");
    EXPECT_TRUE(std::holds_alternative<cwmp::Reboot>(decode(post("", 41)).envelope.body));
}

TEST_F(CwmpEndpointTest, IdleSessionsExpireAndTheirTaskStaysPending) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    inform(cwmp::Namespace::Cwmp12, {"1 BOOT"}, 0);
    ASSERT_EQ(post("", 1).status, 200U);
    EXPECT_EQ(endpoint.expire_idle_sessions(at(30)), 0U);
    EXPECT_EQ(endpoint.session_count(), 1U);
    EXPECT_EQ(endpoint.expire_idle_sessions(at(32)), 1U);
    EXPECT_EQ(endpoint.session_count(), 0U);
    EXPECT_EQ(registry.find_task("t1")->state, TaskState::Pending);
    EXPECT_EQ(post("", 33).status, 400U);
}

TEST_F(CwmpEndpointTest, AnEmptyPostInsteadOfAnAnswerEndsTheSession) {
    queue(GetParameterValuesTask{{kInterval}}, "t1");
    inform();
    ASSERT_EQ(post("").status, 200U);
    auto reply = post("");
    EXPECT_EQ(reply.status, 204U);
    EXPECT_EQ(endpoint.session_count(), 0U);
    EXPECT_EQ(registry.find_task("t1")->state, TaskState::Pending);
}

TEST_F(CwmpEndpointTest, AcceptsTheInformOfGenieAcsSimulator) {
    const char* shared = std::getenv("PHONECWMP_SHARED_DIR");
    const std::filesystem::path file =
        std::filesystem::path(shared != nullptr ? shared : "../shared") / "reference" / "interop" /
        "genieacs-1.2.16" / "cpe-to-acs-Inform.xml";
    if (!std::filesystem::exists(file)) {
        GTEST_SKIP() << "reference envelope not found at " << file << " (no ../shared folder)";
    }
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();

    auto reply = endpoint.handle(CwmpRequest{text.str(), {}, {}}, at());
    ASSERT_EQ(reply.status, 200U) << reply.body;
    const auto decoded = decode(reply);
    EXPECT_EQ(decoded.ns, cwmp::Namespace::Cwmp10);
    EXPECT_EQ(decoded.envelope.header.id, "xdop5x4g");
    EXPECT_TRUE(std::holds_alternative<cwmp::InformResponse>(decoded.envelope.body));
    const auto device = registry.find_device("202BC1-BM632w-000000");
    ASSERT_TRUE(device);
    EXPECT_EQ(device->last_events.at(0).event_code, "6 CONNECTION REQUEST");
    EXPECT_EQ(device->parameters.at("InternetGatewayDevice.DeviceInfo.SoftwareVersion").value,
              "V100R001IRQC56B017");
}

TEST(CookieValue, FindsTheNamedCookie) {
    EXPECT_EQ(cookie_value("session=abc", "session"), "abc");
    EXPECT_EQ(cookie_value("a=1;session=abc ; b=2", "session"), "abc");
    EXPECT_EQ(cookie_value("mysession=x; session=\"q\"", "session"), "q");
    EXPECT_EQ(cookie_value("a=1", "session"), "");
    EXPECT_EQ(cookie_value("", "session"), "");
}

TEST_F(CwmpEndpointTest, ABootstrapPresetIsSetAfterTheBootstrapInformOnly) {
    auto preset = parse_preset("interval", Json::parse(R"({"events": {"0 BOOTSTRAP": true},
        "configurations": [{"type": "value",
            "name": "Device.ManagementServer.PeriodicInformInterval", "value": 300},
          {"type": "notification", "name": "Device.DeviceInfo.SoftwareVersion", "value": 2}]})"));
    ASSERT_TRUE(preset) << preset.error();
    registry.put_preset(std::move(*preset));
    queue(GetParameterValuesTask{{kInterval}}, "t1");

    ASSERT_EQ(inform(cwmp::Namespace::Cwmp10, {"0 BOOTSTRAP", "1 BOOT"}).status, 200U);
    auto set = decode(post(""));
    const auto* request = std::get_if<cwmp::SetParameterValues>(&set.envelope.body);
    ASSERT_NE(request, nullptr);
    ASSERT_EQ(request->parameter_list.size(), 1U);
    EXPECT_EQ(request->parameter_list[0].name, kInterval);
    EXPECT_EQ(request->parameter_list[0].value, "300");
    EXPECT_EQ(request->parameter_list[0].type, "xsd:unsignedInt");
    EXPECT_EQ(request->parameter_key, "preset:interval");

    auto attributes = decode(post(encode(cwmp::SetParameterValuesResponse{0},
                                         cwmp::Namespace::Cwmp10, set.envelope.header.id)));
    const auto* change = std::get_if<cwmp::SetParameterAttributes>(&attributes.envelope.body);
    ASSERT_NE(change, nullptr);
    EXPECT_EQ(change->parameter_list.at(0).notification, 2);
    EXPECT_EQ(registry.find_parameter(phone_key(), kInterval)->value, "300");

    // Then the queued task, as usual.
    auto get = decode(post(encode(cwmp::SetParameterAttributesResponse{}, cwmp::Namespace::Cwmp10,
                                  attributes.envelope.header.id)));
    ASSERT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(get.envelope.body));
    EXPECT_EQ(
        registry.find_parameter(phone_key(), "Device.DeviceInfo.SoftwareVersion")->notification, 2);
    EXPECT_TRUE(registry.find_task("t1"));
    EXPECT_EQ(registry.open_tasks().size(), 1U);  // the preset is no task of the registry

    // A later BOOT Inform carries no BOOTSTRAP: nothing to do.
    inform(cwmp::Namespace::Cwmp10, {"1 BOOT"}, 10);
    auto next = post("", 11);
    ASSERT_EQ(next.status, 200U);
    EXPECT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(decode(next).envelope.body));
}

TEST_F(CwmpEndpointTest, APresetFaultIsLoggedAndTheSessionGoesOn) {
    auto preset = parse_preset("p", Json::parse(R"({"configurations": [{"type": "value",
        "name": "Device.ManagementServer.PeriodicInformInterval", "value": 1}]})"));
    ASSERT_TRUE(preset) << preset.error();
    registry.put_preset(std::move(*preset));
    inform();
    auto set = decode(post(""));
    ASSERT_TRUE(std::holds_alternative<cwmp::SetParameterValues>(set.envelope.body));
    auto end = post(encode(cwmp::Fault{9007, "Invalid parameter value", {}},
                           cwmp::Namespace::Cwmp12, set.envelope.header.id));
    EXPECT_EQ(end.status, 204U);
    EXPECT_TRUE(registry.faulted_tasks().empty());
    EXPECT_EQ(registry.find_parameter(phone_key(), kInterval)->value, "900");
}

}  // namespace
}  // namespace acssim
