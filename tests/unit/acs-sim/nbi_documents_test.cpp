#include <gtest/gtest.h>

#include "nbi/documents.hpp"
#include "nbi/query.hpp"
#include "nbi/task_request.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_key;

TEST(TypedValue, NumbersAndBooleansBecomeJsonTypesLikeGenieAcs) {
    EXPECT_EQ(typed_value("900", "xsd:unsignedInt"), Json(900));
    EXPECT_EQ(typed_value("-5", "xsd:int"), Json(-5));
    EXPECT_EQ(typed_value("18446744073709551615", "xsd:unsignedLong"),
              Json(18446744073709551615ULL));
    EXPECT_EQ(typed_value("-9000000000", "xsd:long"), Json(-9000000000LL));
    EXPECT_EQ(typed_value("true", "xsd:boolean"), Json(true));
    EXPECT_EQ(typed_value("0", "xsd:boolean"), Json(false));
    EXPECT_EQ(typed_value("900", "xsd:string"), Json("900"));
    EXPECT_EQ(typed_value("2024-05-01T12:00:00Z", "xsd:dateTime"), Json("2024-05-01T12:00:00Z"));
}

TEST(TypedValue, UsesTheLocalNameWhateverThePrefix) {
    EXPECT_EQ(typed_value("7", "xs:unsignedInt"), Json(7));
    EXPECT_EQ(typed_value("7", "unsignedInt"), Json(7));
}

TEST(TypedValue, KeepsTextThatDoesNotParseAsItsType) {
    EXPECT_EQ(typed_value("", "xsd:unsignedInt"), Json(""));
    EXPECT_EQ(typed_value("12abc", "xsd:int"), Json("12abc"));
    EXPECT_EQ(typed_value("-1", "xsd:unsignedInt"), Json("-1"));
    EXPECT_EQ(typed_value("yes", "xsd:boolean"), Json("yes"));
}

DeviceRecord phone_record() {
    InMemoryRegistry registry;
    registry.record_inform(phone_key(), test::phone_inform({"0 BOOTSTRAP", "1 BOOT"}), at());
    registry.store_names(phone_key(), "Device.ManagementServer.",
                         {{"Device.ManagementServer.", false},
                          {"Device.ManagementServer.PeriodicInformInterval", true}},
                         false, at(10));
    return *registry.find_device(phone_key());
}

TEST(DeviceDocument, HasGenieAcsShape) {
    const Json document = device_document(phone_record());
    EXPECT_EQ(document["_id"], phone_key());
    EXPECT_EQ(document["_deviceId"], Json({{"_Manufacturer", "Example Phones"},
                                           {"_OUI", "00256D"},
                                           {"_ProductClass", "IPPhone"},
                                           {"_SerialNumber", "SN0001"}}));
    EXPECT_EQ(document["_registered"], "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(document["_lastInform"], "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(document["_lastBoot"], "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(document["_lastBootstrap"], "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(document["_lastEvents"], Json::parse(R"([{"code": "0 BOOTSTRAP", "commandKey": ""},
                                                       {"code": "1 BOOT", "commandKey": ""}])"));

    const Json& interval = document["Device"]["ManagementServer"]["PeriodicInformInterval"];
    EXPECT_EQ(interval, Json({{"_value", 900},
                              {"_type", "xsd:unsignedInt"},
                              {"_timestamp", "2024-05-01T12:00:10.000Z"},
                              {"_writable", true}}));
    const Json& enable = document["Device"]["ManagementServer"]["PeriodicInformEnable"];
    EXPECT_EQ(enable["_value"], true);
    EXPECT_EQ(enable["_type"], "xsd:boolean");
    EXPECT_FALSE(enable.contains("_writable"));  // never asked
    EXPECT_EQ(document["Device"]["DeviceInfo"]["SoftwareVersion"]["_value"], "1.0.0");
}

TEST(DeviceDocument, MarksObjects) {
    const Json document = device_document(phone_record());
    EXPECT_EQ(document["Device"]["_object"], true);
    EXPECT_EQ(document["Device"]["DeviceInfo"]["_object"], true);
    const Json& server = document["Device"]["ManagementServer"];
    EXPECT_EQ(server["_object"], true);
    EXPECT_EQ(server["_writable"], false);
    EXPECT_EQ(server["_timestamp"], "2024-05-01T12:00:10.000Z");
}

TEST(DeviceDocument, AValueWithoutTypeIsAString) {
    DeviceRecord record = phone_record();
    record.parameters["Device.X.Untyped"] =
        CachedParameter{false, "12", "", std::nullopt, at(), std::nullopt};
    const Json document = device_document(record);
    EXPECT_EQ(document["Device"]["X"]["Untyped"]["_value"], "12");
    EXPECT_EQ(document["Device"]["X"]["Untyped"]["_type"], "xsd:string");
}

TEST(DeviceDocument, ShowsAKnownNotificationAttributeOnly) {
    DeviceRecord record = phone_record();
    record.parameters["Device.X.Watched"] = CachedParameter{false, "1", "xsd:int", true, at(), 2};
    record.parameters["Device.X.Plain"] =
        CachedParameter{false, "1", "xsd:int", true, at(), std::nullopt};
    const Json document = device_document(record);
    EXPECT_EQ(document["Device"]["X"]["Watched"]["_notification"], 2);
    EXPECT_EQ(document["Device"]["X"]["Watched"]["_writable"], true);
    EXPECT_FALSE(document["Device"]["X"]["Plain"].contains("_notification"));
}

TEST(DeviceDocument, ParametersNamedLikeDocumentFieldsCannotBreakIt) {
    DeviceRecord record = phone_record();
    record.parameters["_id.x"] =
        CachedParameter{false, "1", "xsd:int", std::nullopt, at(), std::nullopt};
    record.parameters["_deviceId._OUI.y"] =
        CachedParameter{false, "1", "xsd:int", std::nullopt, at(), std::nullopt};
    const Json document = device_document(record);
    EXPECT_EQ(document["_id"], phone_key());
    EXPECT_EQ(document["_deviceId"]["_OUI"], "00256D");
}

TEST(DeviceDocument, TextThatIsNotUtf8IsReplacedWhenSerialised) {
    DeviceRecord record = phone_record();
    record.parameters["Device.X.Name"] =
        CachedParameter{false, "bad \xff byte", "xsd:string", std::nullopt, at(), std::nullopt};
    const std::string text = to_text(device_document(record));
    EXPECT_NE(text.find("bad \xef\xbf\xbd byte"), std::string::npos);
    EXPECT_EQ(Json::parse(text)["Device"]["X"]["Name"]["_value"], "bad \xef\xbf\xbd byte");
}

Task spv_task() {
    Task task;
    task.id = "66322ec0aabbccddee000001";
    task.device_id = phone_key();
    task.timestamp = at();
    task.spec = SetParameterValuesTask{
        {{"Device.ManagementServer.PeriodicInformInterval", "3", "xsd:unsignedInt"},
         {"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"}}};
    return task;
}

TEST(TaskDocument, HasGenieAcsShape) {
    const Json document = task_document(spv_task());
    EXPECT_EQ(document, Json::parse(R"({
        "_id": "66322ec0aabbccddee000001",
        "name": "setParameterValues",
        "device": "00256D-IPPhone-SN0001",
        "timestamp": "2024-05-01T12:00:00.000Z",
        "parameterValues": [
            ["Device.ManagementServer.PeriodicInformInterval", 3, "xsd:unsignedInt"],
            ["Device.ManagementServer.PeriodicInformEnable", true, "xsd:boolean"]]})"));
}

TEST(TaskDocument, OtherTasksShowTheirArguments) {
    Task task = spv_task();
    task.spec = GetParameterValuesTask{{"Device.DeviceInfo."}};
    EXPECT_EQ(task_document(task)["parameterNames"], Json::array({"Device.DeviceInfo."}));
    task.spec = RefreshObjectTask{"Device.ManagementServer."};
    EXPECT_EQ(task_document(task)["objectName"], "Device.ManagementServer.");
    EXPECT_EQ(task_document(task)["name"], "refreshObject");
    task.spec = RebootTask{};
    EXPECT_EQ(task_document(task)["name"], "reboot");
}

TEST(FaultDocument, CarriesTheCpeFaultLikeGenieAcs) {
    Task task = spv_task();
    task.state = TaskState::Fault;
    task.fault = TaskFault{
        "cwmp.9003", "Invalid arguments",
        cwmp::Fault{9003,
                    "Invalid arguments",
                    {{"Device.ManagementServer.PeriodicInformInterval", 9007, "Invalid value"}}},
        at(30)};
    EXPECT_EQ(fault_document(task), Json::parse(R"({
        "_id": "00256D-IPPhone-SN0001:task_66322ec0aabbccddee000001",
        "device": "00256D-IPPhone-SN0001",
        "channel": "task_66322ec0aabbccddee000001",
        "code": "cwmp.9003",
        "message": "Invalid arguments",
        "detail": {"faultCode": "9003", "faultString": "Invalid arguments",
                   "setParameterValuesFault": [
                       {"parameterName": "Device.ManagementServer.PeriodicInformInterval",
                        "faultCode": "9007", "faultString": "Invalid value"}]},
        "timestamp": "2024-05-01T12:00:30.000Z",
        "retries": 0})"));
    const Json with_fault = task_document(task);
    EXPECT_EQ(with_fault["fault"]["code"], "cwmp.9003");
    EXPECT_EQ(with_fault["retries"], 0);
}

// ---- query and projection ---------------------------------------------------

TEST(Query, EmptyMatchesEverything) {
    auto query = Query::parse("");
    ASSERT_TRUE(query);
    EXPECT_TRUE(query->matches(Json::object()));
    EXPECT_TRUE(Query::parse("  ")->matches(Json({{"a", 1}})));
}

TEST(Query, MatchesIdAndParameterValues) {
    const Json document = device_document(phone_record());
    EXPECT_TRUE(Query::parse(R"({"_id": "00256D-IPPhone-SN0001"})")->matches(document));
    EXPECT_FALSE(Query::parse(R"({"_id": "00256D-IPPhone-SN0002"})")->matches(document));
    EXPECT_TRUE(Query::parse(R"({"Device.DeviceInfo.SerialNumber": "SN0001"})")->matches(document));
    EXPECT_TRUE(Query::parse(R"({"_deviceId._OUI": "00256D"})")->matches(document));
    EXPECT_TRUE(Query::parse(R"({"Device.ManagementServer.PeriodicInformInterval._value": 900})")
                    ->matches(document));
}

TEST(Query, AllConditionsMustMatch) {
    const Json document = device_document(phone_record());
    EXPECT_TRUE(
        Query::parse(R"({"_deviceId._OUI": "00256D", "Device.DeviceInfo.SerialNumber": "SN0001"})")
            ->matches(document));
    EXPECT_FALSE(
        Query::parse(R"({"_deviceId._OUI": "00256D", "Device.DeviceInfo.SerialNumber": "X"})")
            ->matches(document));
}

TEST(Query, StringsAndNumbersMatchEitherWay) {
    const Json document = device_document(phone_record());
    EXPECT_TRUE(Query::parse(R"({"Device.ManagementServer.PeriodicInformInterval": 900})")
                    ->matches(document));
    EXPECT_TRUE(Query::parse(R"({"Device.ManagementServer.PeriodicInformInterval": "900"})")
                    ->matches(document));
    EXPECT_TRUE(Query::parse(R"({"Device.ManagementServer.PeriodicInformEnable": "true"})")
                    ->matches(document));
    EXPECT_FALSE(Query::parse(R"({"Device.ManagementServer.PeriodicInformInterval": 901})")
                     ->matches(document));
}

TEST(Query, AMissingFieldOnlyMatchesNull) {
    const Json document = device_document(phone_record());
    EXPECT_FALSE(Query::parse(R"({"Device.Nope": "x"})")->matches(document));
    EXPECT_TRUE(Query::parse(R"({"Device.Nope": null})")->matches(document));
}

TEST(Query, RejectsOperatorsBadJsonAndNonObjects) {
    auto top = Query::parse(R"({"$or": [{"_id": "a"}, {"_id": "b"}]})");
    ASSERT_FALSE(top);
    EXPECT_NE(top.error().find("$or"), std::string::npos);
    auto inner = Query::parse(R"({"_lastInform": {"$gt": "2024-01-01"}})");
    ASSERT_FALSE(inner);
    EXPECT_NE(inner.error().find("$gt"), std::string::npos);
    EXPECT_NE(inner.error().find("_lastInform"), std::string::npos);
    auto bad = Query::parse("{\"_id\": ");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("not valid JSON"), std::string::npos);
    EXPECT_FALSE(Query::parse("[1, 2]"));
}

TEST(Projection, ParsesACommaSeparatedList) {
    EXPECT_EQ(parse_projection(" Device.ManagementServer , _lastInform,,"),
              (std::vector<std::string>{"Device.ManagementServer", "_lastInform"}));
    EXPECT_TRUE(parse_projection("").empty());
}

TEST(Projection, KeepsIdAndTheListedSubtreesOnly) {
    const Json document = device_document(phone_record());
    const Json projected = project(document, {"Device.ManagementServer.PeriodicInformInterval",
                                              "_lastInform", "Device.Missing"});
    EXPECT_EQ(projected,
              Json({{"_id", phone_key()},
                    {"Device",
                     {{"ManagementServer",
                       {{"PeriodicInformInterval",
                         document["Device"]["ManagementServer"]["PeriodicInformInterval"]}}}}},
                    {"_lastInform", "2024-05-01T12:00:00.000Z"}}));
}

TEST(Projection, MergesOverlappingPaths) {
    const Json document = device_document(phone_record());
    const Json projected =
        project(document, {"Device.DeviceInfo.SoftwareVersion", "Device.DeviceInfo"});
    EXPECT_EQ(projected["Device"]["DeviceInfo"], document["Device"]["DeviceInfo"]);
    EXPECT_FALSE(projected["Device"].contains("ManagementServer"));
}

TEST(Projection, NoneKeepsEverything) {
    const Json document = device_document(phone_record());
    EXPECT_EQ(project(document, {}), document);
}

// ---- task bodies --------------------------------------------------------------

std::optional<std::string> no_cache(std::string_view) {
    return std::nullopt;
}

TEST(TaskRequest, GetParameterValues) {
    auto spec = parse_task_request(
        Json::parse(R"({"name": "getParameterValues", "parameterNames": ["A.B", "A.C."]})"),
        no_cache);
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(std::get<GetParameterValuesTask>(*spec).parameter_names,
              (std::vector<std::string>{"A.B", "A.C."}));
}

TEST(TaskRequest, SetParameterValuesKeepsAGivenType) {
    auto spec = parse_task_request(Json::parse(R"({"name": "setParameterValues",
        "parameterValues": [["A.Interval", 3, "xsd:unsignedInt"], ["A.Name", "x", "xsd:string"]]})"),
                                   no_cache);
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(std::get<SetParameterValuesTask>(*spec).parameter_values,
              (std::vector<cwmp::ParameterValue>{{"A.Interval", "3", "xsd:unsignedInt"},
                                                 {"A.Name", "x", "xsd:string"}}));
}

TEST(TaskRequest, SetParameterValuesInfersTypesFromJson) {
    auto spec = parse_task_request(Json::parse(R"({"name": "setParameterValues",
        "parameterValues": [["A.Bool", true], ["A.Int", -3], ["A.Big", 3000000000],
                            ["A.Huge", 18446744073709551615], ["A.Low", -3000000000],
                            ["A.Text", "hello"], ["A.Real", 1.5], ["A.Null", 7, null]]})"),
                                   no_cache);
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(
        std::get<SetParameterValuesTask>(*spec).parameter_values,
        (std::vector<cwmp::ParameterValue>{{"A.Bool", "true", "xsd:boolean"},
                                           {"A.Int", "-3", "xsd:int"},
                                           {"A.Big", "3000000000", "xsd:unsignedInt"},
                                           {"A.Huge", "18446744073709551615", "xsd:unsignedLong"},
                                           {"A.Low", "-3000000000", "xsd:long"},
                                           {"A.Text", "hello", "xsd:string"},
                                           {"A.Real", "1.5", "xsd:string"},
                                           {"A.Null", "7", "xsd:int"}}));
}

TEST(TaskRequest, SetParameterValuesPrefersTheCachedTypeToInference) {
    const CachedTypeLookup cache = [](std::string_view name) -> std::optional<std::string> {
        if (name == "A.Interval") return "xsd:unsignedInt";
        if (name == "A.Untyped") return "";
        return std::nullopt;
    };
    auto spec = parse_task_request(Json::parse(R"({"name": "setParameterValues",
        "parameterValues": [["A.Interval", "60"], ["A.Untyped", 5], ["A.Explicit", 5, "xsd:string"]]})"),
                                   cache);
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(std::get<SetParameterValuesTask>(*spec).parameter_values,
              (std::vector<cwmp::ParameterValue>{{"A.Interval", "60", "xsd:unsignedInt"},
                                                 {"A.Untyped", "5", "xsd:int"},
                                                 {"A.Explicit", "5", "xsd:string"}}));
}

TEST(TaskRequest, ObjectTasksAndArgumentlessTasks) {
    auto refresh = parse_task_request(
        Json::parse(R"({"name": "refreshObject", "objectName": "Device.DeviceInfo."})"), no_cache);
    ASSERT_TRUE(refresh);
    EXPECT_EQ(std::get<RefreshObjectTask>(*refresh).object_name, "Device.DeviceInfo.");
    auto whole =
        parse_task_request(Json::parse(R"({"name": "refreshObject", "objectName": ""})"), no_cache);
    ASSERT_TRUE(whole);
    auto add = parse_task_request(
        Json::parse(R"({"name": "addObject", "objectName": "Device.X."})"), no_cache);
    ASSERT_TRUE(add);
    EXPECT_EQ(std::get<AddObjectTask>(*add).object_name, "Device.X.");
    auto remove = parse_task_request(
        Json::parse(R"({"name": "deleteObject", "objectName": "Device.X.2."})"), no_cache);
    ASSERT_TRUE(remove);
    EXPECT_EQ(std::get<DeleteObjectTask>(*remove).object_name, "Device.X.2.");
    EXPECT_TRUE(std::holds_alternative<RebootTask>(
        *parse_task_request(Json::parse(R"({"name": "reboot"})"), no_cache)));
    EXPECT_TRUE(std::holds_alternative<FactoryResetTask>(
        *parse_task_request(Json::parse(R"({"name": "factoryReset"})"), no_cache)));
}

void expect_rejected(const char* body, const char* mentions) {
    auto spec = parse_task_request(Json::parse(body), no_cache);
    ASSERT_FALSE(spec) << body;
    EXPECT_NE(spec.error().find(mentions), std::string::npos) << spec.error();
}

TEST(TaskRequest, RejectsWrongShapesNamingTheProblem) {
    expect_rejected(R"([1])", "JSON object");
    expect_rejected(R"({"parameterNames": ["A"]})", "\"name\"");
    expect_rejected(R"({"name": "upload"})", "unknown task name \"upload\"");
    expect_rejected(R"({"name": "download"})", "\"file\" must be a string");
    expect_rejected(R"({"name": "download", "file": "f", "targetFileName": 1})",
                    "\"targetFileName\" must be a string");
    expect_rejected(R"({"name": "getParameterValues"})", "parameterNames");
    expect_rejected(R"({"name": "getParameterValues", "parameterNames": []})", "parameterNames");
    expect_rejected(R"({"name": "getParameterValues", "parameterNames": [1]})", "parameterNames");
    expect_rejected(R"({"name": "setParameterValues", "parameterValues": [["A"]]})",
                    "[name, value]");
    expect_rejected(R"({"name": "setParameterValues", "parameterValues": [[1, 2]]})",
                    "parameter name");
    expect_rejected(R"({"name": "setParameterValues", "parameterValues": [["A", [1]]]})",
                    "value of A");
    expect_rejected(R"({"name": "setParameterValues", "parameterValues": [["A", 1, "xsd:float"]]})",
                    "type of A");
    expect_rejected(R"({"name": "addObject", "objectName": "Device.X"})", "end with '.'");
    expect_rejected(R"({"name": "deleteObject"})", "objectName");
}

}  // namespace
}  // namespace acssim
