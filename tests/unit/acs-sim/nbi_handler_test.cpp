#include "nbi/nbi_handler.hpp"

#include <gtest/gtest.h>

#include "nbi/documents.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"
#include "util/url.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_key;

std::string header(const NbiResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) return value;
    }
    return "<absent>";
}

class NbiHandlerTest : public ::testing::Test {
protected:
    NbiHandlerTest() : nbi(registry, ids) {
        registry.record_inform(phone_key("SN0001"), test::phone_inform({"1 BOOT"}, "SN0001"), at());
        registry.record_inform(phone_key("SN0002"), test::phone_inform({"1 BOOT"}, "SN0002"), at());
    }

    NbiResponse call(std::string_view method, const std::string& target,
                     std::string_view body = {}) {
        return nbi.handle(NbiRequest{method, target, body}, at(100));
    }

    std::string tasks_of(const std::string& device) {
        return "/devices/" + percent_encode(device) + "/tasks";
    }

    Json post_task(const std::string& device, const char* body) {
        auto response = call("POST", tasks_of(device), body);
        EXPECT_EQ(response.status, 202U) << response.body;
        return Json::parse(response.body);
    }

    InMemoryRegistry registry;
    IdGenerator ids{42};
    NbiHandler nbi;
};

TEST_F(NbiHandlerTest, ListsDevicesAsAJsonArrayWithTotal) {
    auto response = call("GET", "/devices");
    ASSERT_EQ(response.status, 200U);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(header(response, "total"), "2");
    const Json devices = Json::parse(response.body);
    ASSERT_EQ(devices.size(), 2U);
    EXPECT_EQ(devices[0]["_id"], phone_key("SN0001"));
    EXPECT_EQ(devices[1]["_id"], phone_key("SN0002"));
    EXPECT_EQ(devices[0]["Device"]["ManagementServer"]["PeriodicInformInterval"]["_value"], 900);
}

TEST_F(NbiHandlerTest, FiltersDevicesWithAnUrlEncodedQuery) {
    auto response =
        call("GET", "/devices/?query=" +
                        percent_encode(R"({"Device.DeviceInfo.SerialNumber": "SN0002"})"));
    ASSERT_EQ(response.status, 200U) << response.body;
    const Json devices = Json::parse(response.body);
    ASSERT_EQ(devices.size(), 1U);
    EXPECT_EQ(devices[0]["_id"], phone_key("SN0002"));
    EXPECT_EQ(header(response, "total"), "1");

    // Form encoding ('+' for spaces), as Python's urlencode and browsers send it.
    auto by_id = call("GET", "/devices?query=%7B%22_id%22%3A+%2200256D-IPPhone-SN0001%22%7D");
    ASSERT_EQ(by_id.status, 200U) << by_id.body;
    ASSERT_EQ(Json::parse(by_id.body).size(), 1U);
    EXPECT_EQ(Json::parse(by_id.body)[0]["_id"], phone_key("SN0001"));
}

TEST_F(NbiHandlerTest, ProjectsDevices) {
    auto response = call("GET",
                         "/devices?projection=Device.ManagementServer.PeriodicInformInterval,"
                         "_lastInform&query=" +
                             percent_encode(R"({"_id": "00256D-IPPhone-SN0001"})"));
    ASSERT_EQ(response.status, 200U) << response.body;
    const Json device = Json::parse(response.body).at(0);
    EXPECT_EQ(device["_id"], phone_key("SN0001"));
    EXPECT_EQ(device["_lastInform"], "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(device["Device"]["ManagementServer"]["PeriodicInformInterval"]["_value"], 900);
    EXPECT_FALSE(device["Device"]["ManagementServer"].contains("PeriodicInformEnable"));
    EXPECT_FALSE(device["Device"].contains("DeviceInfo"));
    EXPECT_FALSE(device.contains("_deviceId"));
}

TEST_F(NbiHandlerTest, SkipAndLimitPageThroughTheList) {
    auto response = call("GET", "/devices?skip=1&limit=5");
    ASSERT_EQ(response.status, 200U);
    EXPECT_EQ(header(response, "total"), "2");
    const Json devices = Json::parse(response.body);
    ASSERT_EQ(devices.size(), 1U);
    EXPECT_EQ(devices[0]["_id"], phone_key("SN0002"));
    EXPECT_EQ(call("GET", "/devices?limit=x").status, 400U);
}

TEST_F(NbiHandlerTest, HeadGivesTheTotalWithoutABody) {
    auto response = call("HEAD", "/devices");
    EXPECT_EQ(response.status, 200U);
    EXPECT_EQ(header(response, "total"), "2");
    EXPECT_TRUE(response.body.empty());
}

TEST_F(NbiHandlerTest, RejectsUnsupportedQueriesWith400AndAMessage) {
    auto op = call("GET", "/devices?query=" + percent_encode(R"({"_lastInform": {"$gt": 1}})"));
    EXPECT_EQ(op.status, 400U);
    EXPECT_NE(op.body.find("$gt"), std::string::npos);
    EXPECT_EQ(op.content_type, "text/plain; charset=utf-8");
    auto json = call("GET", "/devices?query=" + percent_encode("{nope"));
    EXPECT_EQ(json.status, 400U);
    EXPECT_NE(json.body.find("not valid JSON"), std::string::npos);
    EXPECT_EQ(call("GET", "/devices/%zz").status, 400U);
}

TEST_F(NbiHandlerTest, PostingATaskQueuesItAndAnswers202WithTheTask) {
    const Json task = post_task(phone_key("SN0001"), R"({"name": "setParameterValues",
        "parameterValues": [["Device.ManagementServer.PeriodicInformInterval", 3]]})");
    ASSERT_TRUE(task["_id"].is_string());
    EXPECT_EQ(task["_id"].get<std::string>().size(), 24U);
    EXPECT_EQ(task["device"], phone_key("SN0001"));
    EXPECT_EQ(task["name"], "setParameterValues");
    EXPECT_EQ(task["timestamp"], "2024-05-01T12:01:40.000Z");
    // No type given: the cached parameter's type is used.
    EXPECT_EQ(task["parameterValues"],
              Json::parse(R"([["Device.ManagementServer.PeriodicInformInterval", 3,
                                "xsd:unsignedInt"]])"));

    const auto queued = registry.next_pending_task(phone_key("SN0001"));
    ASSERT_TRUE(queued);
    EXPECT_EQ(queued->id, task["_id"]);
    EXPECT_EQ(std::get<SetParameterValuesTask>(queued->spec).parameter_values,
              (std::vector<cwmp::ParameterValue>{
                  {"Device.ManagementServer.PeriodicInformInterval", "3", "xsd:unsignedInt"}}));
}

TEST_F(NbiHandlerTest, ConnectionRequestQueuesTheTaskAndHandsTheCallOn) {
    auto response = call("POST", tasks_of(phone_key("SN0001")) + "?connection_request&timeout=3000",
                         R"({"name": "reboot"})");
    // The fallback answer, should the call not proceed, and what it waits for.
    EXPECT_EQ(response.status, 202U);
    EXPECT_EQ(response.reason, "Task queued but not processed");
    const Json task = Json::parse(response.body);
    EXPECT_EQ(task["name"], "reboot");
    ASSERT_TRUE(response.connection_request);
    EXPECT_EQ(response.connection_request->device_id, phone_key("SN0001"));
    EXPECT_EQ(response.connection_request->task_id, task["_id"].get<std::string>());
    EXPECT_EQ(response.connection_request->session_start_timeout, std::chrono::milliseconds(3000));
    EXPECT_TRUE(registry.next_pending_task(phone_key("SN0001")));

    auto bare = call("POST", tasks_of(phone_key("SN0001")) + "?connection_request");
    ASSERT_TRUE(bare.connection_request);
    EXPECT_FALSE(bare.connection_request->task_id);
    // GenieACS's DEVICE_ONLINE_THRESHOLD.
    EXPECT_EQ(bare.connection_request->session_start_timeout, std::chrono::milliseconds(4000));
    EXPECT_EQ(call("POST", tasks_of("00256D-IPPhone-NOPE") + "?connection_request").status, 404U);
    EXPECT_EQ(call("POST", tasks_of(phone_key("SN0001"))).status, 400U);
    EXPECT_FALSE(
        call("POST", tasks_of(phone_key("SN0001")), R"({"name": "reboot"})").connection_request);
}

TEST_F(NbiHandlerTest, RefusesATimeoutThatIsNotAPositiveNumberOfMilliseconds) {
    for (const char* bad : {"", "0", "-5", "1.5", "abc", "120001"}) {
        auto response =
            call("POST", tasks_of(phone_key("SN0001")) + "?connection_request&timeout=" + bad,
                 R"({"name": "reboot"})");
        EXPECT_EQ(response.status, 400U) << bad;
        EXPECT_NE(response.body.find("timeout must be"), std::string::npos) << response.body;
    }
    EXPECT_TRUE(registry.open_tasks().empty());
}

TEST_F(NbiHandlerTest, PostingATaskForAnUnknownDeviceIs404) {
    auto response = call("POST", tasks_of("00256D-IPPhone-NOPE"), R"({"name": "reboot"})");
    EXPECT_EQ(response.status, 404U);
    EXPECT_EQ(response.body, "No such device\n");
    EXPECT_TRUE(registry.open_tasks().empty());
}

TEST_F(NbiHandlerTest, BadTaskBodiesAre400WithAMessage) {
    const auto path = tasks_of(phone_key("SN0001"));
    auto not_json = call("POST", path, "{name");
    EXPECT_EQ(not_json.status, 400U);
    EXPECT_NE(not_json.body.find("not valid JSON"), std::string::npos);
    auto unknown = call("POST", path, R"({"name": "frobnicate"})");
    EXPECT_EQ(unknown.status, 400U);
    EXPECT_NE(unknown.body.find("unknown task name \"frobnicate\""), std::string::npos);
    auto shape = call("POST", path, R"({"name": "getParameterValues", "parameterNames": "A"})");
    EXPECT_EQ(shape.status, 400U);
    EXPECT_NE(shape.body.find("parameterNames"), std::string::npos);
    EXPECT_EQ(call("POST", path, "").status, 400U);
    EXPECT_TRUE(registry.open_tasks().empty());
}

TEST_F(NbiHandlerTest, ListsTasksFilteredByDevice) {
    post_task(phone_key("SN0001"), R"({"name": "reboot"})");
    post_task(phone_key("SN0002"), R"({"name": "factoryReset"})");
    auto all = call("GET", "/tasks");
    ASSERT_EQ(all.status, 200U);
    EXPECT_EQ(Json::parse(all.body).size(), 2U);
    auto mine =
        call("GET", "/tasks?query=" + percent_encode(R"({"device": "00256D-IPPhone-SN0002"})"));
    ASSERT_EQ(mine.status, 200U);
    const Json tasks = Json::parse(mine.body);
    ASSERT_EQ(tasks.size(), 1U);
    EXPECT_EQ(tasks[0]["name"], "factoryReset");
}

TEST_F(NbiHandlerTest, DeletesATaskThen404) {
    const Json task = post_task(phone_key("SN0001"), R"({"name": "reboot"})");
    const std::string path = "/tasks/" + task["_id"].get<std::string>();
    EXPECT_EQ(call("DELETE", path).status, 200U);
    EXPECT_TRUE(registry.open_tasks().empty());
    auto again = call("DELETE", path);
    EXPECT_EQ(again.status, 404U);
    EXPECT_EQ(again.body, "Task not found\n");
}

TEST_F(NbiHandlerTest, ListsFaultsAndDeletingAFaultRemovesItsTask) {
    const Json task =
        post_task(phone_key("SN0001"),
                  R"({"name": "getParameterValues", "parameterNames": ["Device.Nope"]})");
    const std::string id = task["_id"];
    registry.fail_task(id, TaskFault{"cwmp.9005", "Invalid parameter name",
                                     cwmp::Fault{9005, "Invalid parameter name", {}}, at(120)});

    auto faults = call("GET", "/faults");
    ASSERT_EQ(faults.status, 200U);
    const Json list = Json::parse(faults.body);
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0]["_id"], phone_key("SN0001") + ":task_" + id);
    EXPECT_EQ(list[0]["code"], "cwmp.9005");
    EXPECT_EQ(list[0]["detail"]["faultCode"], "9005");

    auto tasks = Json::parse(call("GET", "/tasks").body);
    ASSERT_EQ(tasks.size(), 1U);
    EXPECT_EQ(tasks[0]["fault"]["message"], "Invalid parameter name");

    EXPECT_EQ(call("DELETE", "/faults/" + percent_encode(list[0]["_id"].get<std::string>())).status,
              200U);
    EXPECT_TRUE(registry.open_tasks().empty());
    EXPECT_EQ(call("DELETE", "/faults/" + percent_encode(list[0]["_id"].get<std::string>())).status,
              404U);
    EXPECT_EQ(call("DELETE", "/faults/garbage").status, 404U);
}

TEST_F(NbiHandlerTest, RetryClearsAFault) {
    const Json task = post_task(phone_key("SN0001"), R"({"name": "reboot"})");
    const std::string id = task["_id"];
    registry.fail_task(id, TaskFault{"cwmp.9002", "Internal error", std::nullopt, at()});
    EXPECT_EQ(call("POST", "/tasks/" + id + "/retry").status, 200U);
    EXPECT_EQ(registry.find_task(id)->state, TaskState::Pending);
    EXPECT_TRUE(Json::parse(call("GET", "/faults").body).empty());
    EXPECT_EQ(call("POST", "/tasks/nope/retry").status, 404U);
}

TEST_F(NbiHandlerTest, UnknownRoutesAre404AndWrongMethods405WithAllow) {
    EXPECT_EQ(call("GET", "/").status, 404U);
    EXPECT_EQ(call("GET", "/provisions").status, 404U);
    EXPECT_EQ(call("GET", "/devices/x/tags").status, 404U);

    auto post_devices = call("POST", "/devices", "{}");
    EXPECT_EQ(post_devices.status, 405U);
    EXPECT_EQ(header(post_devices, "Allow"), "GET, HEAD");
    auto get_tasks_of = call("GET", tasks_of(phone_key("SN0001")));
    EXPECT_EQ(get_tasks_of.status, 405U);
    EXPECT_EQ(header(get_tasks_of, "Allow"), "POST");
    EXPECT_EQ(header(call("GET", "/tasks/abc"), "Allow"), "DELETE");
    EXPECT_EQ(call("PUT", "/faults").status, 405U);
    EXPECT_EQ(call("GET", "/faults/x:task_y").status, 405U);
}

TEST_F(NbiHandlerTest, DeleteDeviceForgetsItAndItsTasks) {
    post_task(phone_key("SN0001"), R"({"name": "reboot"})");
    post_task(phone_key("SN0002"), R"({"name": "reboot"})");
    auto deleted = call("DELETE", "/devices/" + percent_encode(phone_key("SN0001")));
    EXPECT_EQ(deleted.status, 200U) << deleted.body;
    EXPECT_FALSE(registry.has_device(phone_key("SN0001")));
    const Json tasks = Json::parse(call("GET", "/tasks").body);
    ASSERT_EQ(tasks.size(), 1U);
    EXPECT_EQ(tasks[0]["device"], phone_key("SN0002"));
    EXPECT_EQ(call("DELETE", "/devices/" + percent_encode(phone_key("SN0001"))).status, 404U);
    EXPECT_EQ(header(call("PUT", "/devices/x"), "Allow"), "DELETE");
}

TEST_F(NbiHandlerTest, PresetsArePutListedAndDeleted) {
    const std::string body = R"({"weight": 0, "channel": "default",
        "events": {"0 BOOTSTRAP": true},
        "precondition": "{\"_deviceId._ProductClass\": \"IPPhone\"}",
        "configurations": [{"type": "value",
                            "name": "Device.ManagementServer.PeriodicInformInterval",
                            "value": "300"}]})";
    EXPECT_EQ(call("PUT", "/presets/bootstrap", body).status, 200U);
    EXPECT_EQ(call("PUT", "/presets/other", R"({"weight": 3})").status, 200U);
    auto listed = call("GET", "/presets");
    ASSERT_EQ(listed.status, 200U);
    EXPECT_EQ(header(listed, "total"), "2");
    const Json presets = Json::parse(listed.body);
    ASSERT_EQ(presets.size(), 2U);
    EXPECT_EQ(presets[0]["_id"], "bootstrap");
    EXPECT_EQ(presets[0]["events"]["0 BOOTSTRAP"], true);
    EXPECT_EQ(presets[0]["configurations"][0]["value"], "300");
    EXPECT_EQ(presets[1]["_id"], "other");

    auto filtered = call("GET", "/presets?query=" + percent_encode(R"({"weight": 3})"));
    ASSERT_EQ(Json::parse(filtered.body).size(), 1U);
    EXPECT_EQ(Json::parse(filtered.body)[0]["_id"], "other");

    // PUT replaces.
    EXPECT_EQ(call("PUT", "/presets/other", R"({"weight": 4})").status, 200U);
    EXPECT_EQ(registry.presets().at(1).weight, 4);

    EXPECT_EQ(call("DELETE", "/presets/other").status, 200U);
    EXPECT_EQ(call("DELETE", "/presets/other").status, 404U);
    EXPECT_EQ(registry.preset_count(), 1U);
    EXPECT_EQ(header(call("POST", "/presets/x", "{}"), "Allow"), "PUT, DELETE");
}

TEST_F(NbiHandlerTest, AMalformedPresetIs400WithAJsonMessageAndChangesNothing) {
    for (const char* body :
         {"{not json", R"({"configurations": [{"type": "value", "name": "A.B"}]})",
          R"({"precondition": "{\"$gt\": 1}"})"}) {
        auto response = call("PUT", "/presets/bad", body);
        EXPECT_EQ(response.status, 400U) << body;
        EXPECT_EQ(response.content_type, "application/json");
        const Json error = Json::parse(response.body);
        EXPECT_FALSE(error["error"].get<std::string>().empty()) << response.body;
    }
    EXPECT_EQ(registry.preset_count(), 0U);
}

TEST_F(NbiHandlerTest, ThePresetCountIsBounded) {
    for (std::size_t i = 0; i < NbiHandler::kMaxPresets; ++i) {
        ASSERT_EQ(call("PUT", "/presets/p" + std::to_string(i), "{}").status, 200U);
    }
    auto refused = call("PUT", "/presets/one-too-many", "{}");
    EXPECT_EQ(refused.status, 400U);
    EXPECT_NE(refused.body.find("too many presets"), std::string::npos) << refused.body;
    // Replacing an existing one is still allowed.
    EXPECT_EQ(call("PUT", "/presets/p0", R"({"weight": 1})").status, 200U);
}

}  // namespace
}  // namespace acssim
