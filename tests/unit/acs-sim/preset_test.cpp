// Presets: what PUT /presets accepts, and which RPCs an Inform gets from them.
#include <gtest/gtest.h>

#include "presets/preset_json.hpp"
#include "presets/preset_plan.hpp"
#include "presets/preset_run.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_key;

constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";
constexpr const char* kEnable = "Device.ManagementServer.PeriodicInformEnable";

phonecwmp::Expected<Preset, std::string> parse(const std::string& body,
                                               std::string_view name = "p") {
    return parse_preset(name, Json::parse(body));
}

Preset preset(const std::string& body, std::string_view name = "p") {
    auto parsed = parse(body, name);
    EXPECT_TRUE(parsed) << parsed.error();
    return std::move(*parsed);
}

std::vector<cwmp::EventStruct> events(std::vector<std::string> codes) {
    std::vector<cwmp::EventStruct> list;
    for (auto& code : codes) list.push_back({std::move(code), ""});
    return list;
}

TEST(PresetJson, AcceptsGenieAcssShape) {
    const auto parsed = preset(R"({
        "weight": 0, "channel": "default", "events": {"0 BOOTSTRAP": true},
        "precondition": "{\"_deviceId._ProductClass\": \"IPPhone\"}",
        "configurations": [
            {"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval",
             "value": "300"}],
        "schedule": ""})",
                               "phones");
    EXPECT_EQ(parsed.name, "phones");
    EXPECT_EQ(parsed.events.at("0 BOOTSTRAP"), true);
    ASSERT_EQ(parsed.configurations.size(), 1U);
    EXPECT_EQ(std::get<PresetValue>(parsed.configurations[0]).value, "300");
    EXPECT_EQ(parsed.document["_id"], "phones");
    EXPECT_EQ(parsed.document["precondition"], "{\"_deviceId._ProductClass\": \"IPPhone\"}");
    EXPECT_EQ(parsed.document["configurations"].size(), 1U);
}

TEST(PresetJson, AcceptsAnObjectAsPreconditionAndANotificationConfiguration) {
    const auto parsed = preset(R"({"precondition": {"_deviceId._OUI": "00256D"},
        "configurations": [{"type": "notification", "name": "Device.A", "value": 2}]})");
    EXPECT_EQ(parsed.precondition, R"({"_deviceId._OUI":"00256D"})");
    EXPECT_EQ(std::get<PresetNotification>(parsed.configurations[0]).notification, 2);
    EXPECT_TRUE(parsed.events.empty());
    EXPECT_EQ(parsed.channel, "default");
}

TEST(PresetJson, RejectsMalformedPresetsNamingTheProblem) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[]", "JSON object"},
        {R"({"weight": "heavy"})", "weight"},
        {R"({"events": {"0 BOOTSTRAP": "yes"}})", "events"},
        {R"({"events": []})", "events"},
        {R"({"precondition": "{not json"})", "precondition"},
        {R"({"precondition": "{\"$or\": []}"})", "$or"},
        {R"({"precondition": 5})", "precondition"},
        {R"({"configurations": {}})", "configurations"},
        {R"({"configurations": [{"type": "age", "name": "A.B", "age": 10}]})", "age"},
        {R"({"configurations": [{"type": "value", "name": "A.B"}]})", "configurations[0]"},
        {R"({"configurations": [{"type": "value", "name": "A.", "value": 1}]})", "name"},
        {R"({"configurations": [{"type": "value", "name": "A.B", "value": [1]}]})", "value"},
        {R"({"configurations": [{"type": "value", "name": "A.B", "value": 1,
             "valueType": "xsd:float"}]})",
         "xsd:float"},
        {R"({"configurations": [{"type": "notification", "name": "A.B", "value": 3}]})",
         "notification"},
        {R"({"configuration": []})", "configuration"},
        {R"({"schedule": "0 * * * *"})", "schedule"},
    };
    for (const auto& [body, mention] : cases) {
        const auto parsed = parse(body);
        ASSERT_FALSE(parsed) << body;
        EXPECT_NE(parsed.error().find(mention), std::string::npos)
            << body << " -> " << parsed.error();
    }
    EXPECT_FALSE(parse("{}", ""));
    EXPECT_FALSE(parse("{}", std::string(kMaxPresetNameBytes + 1, 'x')));
    Json many = {{"configurations", Json::array()}};
    for (std::size_t i = 0; i <= kMaxPresetConfigurations; ++i) {
        many["configurations"].push_back({{"type", "value"}, {"name", "A.B"}, {"value", 1}});
    }
    EXPECT_FALSE(parse_preset("p", many));
}

class PresetPlanTest : public ::testing::Test {
protected:
    PresetPlanTest() { registry.record_inform(phone_key(), test::phone_inform(), at()); }

    struct Planned {
        std::vector<std::string> presets;
        std::vector<TaskSpec> rpcs;
    };

    // Matching, then the settings with unknown values counted as different.
    Planned plan(const std::vector<Preset>& presets, std::vector<std::string> codes) {
        const auto device = *registry.find_device(phone_key());
        const auto inform_events = events(std::move(codes));
        const auto matched = match_presets(presets, device, inform_events);
        Planned planned;
        for (const auto& preset : matched) planned.presets.push_back(preset.name);
        planned.rpcs = plan_presets(matched, device, inform_events, false).rpcs;
        return planned;
    }

    InMemoryRegistry registry;
};

TEST_F(PresetPlanTest, ABootstrapPresetAppliesOnBootstrapOnly) {
    const std::vector<Preset> presets = {preset(R"({"events": {"0 BOOTSTRAP": true},
        "configurations": [{"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval",
                            "value": 300}]})")};
    const auto bootstrap = plan(presets, {"0 BOOTSTRAP", "1 BOOT"});
    EXPECT_EQ(bootstrap.presets, std::vector<std::string>{"p"});
    ASSERT_EQ(bootstrap.rpcs.size(), 1U);
    const auto& set = std::get<SetParameterValuesTask>(bootstrap.rpcs[0]);
    ASSERT_EQ(set.parameter_values.size(), 1U);
    EXPECT_EQ(set.parameter_values[0].name, kInterval);
    EXPECT_EQ(set.parameter_values[0].value, "300");
    // The cached type wins over the one the JSON number suggests.
    EXPECT_EQ(set.parameter_values[0].type, "xsd:unsignedInt");

    EXPECT_TRUE(plan(presets, {"1 BOOT"}).presets.empty());
    EXPECT_TRUE(plan(presets, {"1 BOOT"}).rpcs.empty());
}

TEST_F(PresetPlanTest, AnEventMarkedFalseMustBeAbsentAndNoEventsMeansEveryInform) {
    const std::vector<Preset> presets = {
        preset(R"({"events": {"1 BOOT": true, "0 BOOTSTRAP": false},
                   "configurations": [{"type": "value", "name": "Device.A", "value": "a"}]})",
               "boot"),
        preset(R"({"configurations": [{"type": "value", "name": "Device.B", "value": "b"}]})",
               "always")};
    EXPECT_EQ(plan(presets, {"1 BOOT"}).presets, (std::vector<std::string>{"always", "boot"}));
    EXPECT_EQ(plan(presets, {"0 BOOTSTRAP", "1 BOOT"}).presets,
              (std::vector<std::string>{"always"}));
    EXPECT_EQ(plan(presets, {"2 PERIODIC"}).presets, (std::vector<std::string>{"always"}));
}

TEST_F(PresetPlanTest, ValuesTheCacheAlreadyHoldsAreNotSent) {
    const std::vector<Preset> presets = {preset(R"({"configurations": [
        {"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval", "value": "0900"},
        {"type": "value", "name": "Device.ManagementServer.PeriodicInformEnable", "value": true},
        {"type": "value", "name": "Device.DeviceInfo.SoftwareVersion", "value": "1.0.0"}]})")};
    const auto nothing = plan(presets, {"2 PERIODIC"});
    EXPECT_EQ(nothing.presets.size(), 1U);
    EXPECT_TRUE(nothing.rpcs.empty());

    registry.store_values(phone_key(), {{kEnable, "0", ""}}, at(1));
    const auto drifted = plan(presets, {"2 PERIODIC"});
    ASSERT_EQ(drifted.rpcs.size(), 1U);
    const auto& set = std::get<SetParameterValuesTask>(drifted.rpcs[0]);
    ASSERT_EQ(set.parameter_values.size(), 1U);
    EXPECT_EQ(set.parameter_values[0].name, kEnable);
    EXPECT_EQ(set.parameter_values[0].value, "true");
    EXPECT_EQ(set.parameter_values[0].type, "xsd:boolean");
}

TEST_F(PresetPlanTest, AfterABootstrapOnlyWhatTheInformReportedIsTrusted) {
    // Cached before a factory reset: the device may no longer hold it.
    registry.store_values(phone_key(), {{"Device.A", "a", "xsd:string"}}, at(-10));
    const std::vector<Preset> presets = {preset(R"({"configurations": [
        {"type": "value", "name": "Device.A", "value": "a"},
        {"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval", "value": 900}]})")};
    EXPECT_TRUE(plan(presets, {"1 BOOT"}).rpcs.empty());
    const auto bootstrap = plan(presets, {"0 BOOTSTRAP"});
    ASSERT_EQ(bootstrap.rpcs.size(), 1U);
    const auto& set = std::get<SetParameterValuesTask>(bootstrap.rpcs[0]);
    ASSERT_EQ(set.parameter_values.size(), 1U);  // the interval came with the Inform
    EXPECT_EQ(set.parameter_values[0].name, "Device.A");
}

TEST_F(PresetPlanTest, PreconditionsSelectDevicesAndTheHeavierPresetWins) {
    const std::vector<Preset> presets = {
        preset(R"({"weight": 10, "precondition": "{\"_deviceId._ProductClass\": \"IPPhone\"}",
                   "configurations": [{"type": "value", "name": "Device.A", "value": "heavy"}]})",
               "a-heavy"),
        preset(R"({"weight": 1,
                   "configurations": [{"type": "value", "name": "Device.A", "value": "light"}]})",
               "z-light"),
        preset(R"({"precondition": "{\"Device.DeviceInfo.SoftwareVersion\": \"9.9\"}",
                   "configurations": [{"type": "value", "name": "Device.C", "value": "c"}]})",
               "other-firmware")};
    const auto result = plan(presets, {"2 PERIODIC"});
    EXPECT_EQ(result.presets, (std::vector<std::string>{"z-light", "a-heavy"}));
    ASSERT_EQ(result.rpcs.size(), 1U);
    const auto& set = std::get<SetParameterValuesTask>(result.rpcs[0]);
    ASSERT_EQ(set.parameter_values.size(), 1U);
    EXPECT_EQ(set.parameter_values[0].value, "heavy");
    EXPECT_EQ(set.parameter_values[0].type, "xsd:string");
}

TEST_F(PresetPlanTest, NotificationsAreSetUntilTheCacheKnowsThem) {
    const std::vector<Preset> presets = {preset(R"({"configurations": [
        {"type": "notification", "name": "Device.DeviceInfo.SoftwareVersion", "value": 2}]})")};
    const auto first = plan(presets, {"1 BOOT"});
    ASSERT_EQ(first.rpcs.size(), 1U);
    const auto& attributes = std::get<SetParameterAttributesTask>(first.rpcs[0]);
    ASSERT_EQ(attributes.parameter_list.size(), 1U);
    EXPECT_TRUE(attributes.parameter_list[0].notification_change);
    EXPECT_EQ(attributes.parameter_list[0].notification, 2);
    EXPECT_FALSE(attributes.parameter_list[0].access_list_change);

    registry.store_notifications(phone_key(), {{"Device.DeviceInfo.SoftwareVersion", 2}}, at(1));
    EXPECT_TRUE(plan(presets, {"1 BOOT"}).rpcs.empty());
}

TEST_F(PresetPlanTest, ARunReadsUnknownValuesFirstThenSetsWhatDiffers) {
    const std::vector<Preset> presets = {preset(R"({"configurations": [
        {"type": "value", "name": "Device.New.Interval", "value": "300"},
        {"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval", "value": 60}]})")};
    auto run = PresetRun::start(presets, *registry.find_device(phone_key()), events({"1 BOOT"}));
    ASSERT_TRUE(run);
    EXPECT_EQ(run->names(), std::vector<std::string>{"p"});

    const auto read = run->next(*registry.find_device(phone_key()), at(1));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->device_id, phone_key());
    EXPECT_EQ(read->id, "preset:p");
    EXPECT_EQ(std::get<GetParameterValuesTask>(read->spec).parameter_names,
              std::vector<std::string>{"Device.New.Interval"});

    // The CPE reported the parameter and its type: the set uses that type.
    registry.store_values(phone_key(), {{"Device.New.Interval", "100", "xsd:unsignedInt"}}, at(2));
    const auto set = run->next(*registry.find_device(phone_key()), at(3));
    ASSERT_TRUE(set);
    const auto& values = std::get<SetParameterValuesTask>(set->spec).parameter_values;
    ASSERT_EQ(values.size(), 2U);
    EXPECT_EQ(values[0].name, "Device.ManagementServer.PeriodicInformInterval");
    EXPECT_EQ(values[1].name, "Device.New.Interval");
    EXPECT_EQ(values[1].value, "300");
    EXPECT_EQ(values[1].type, "xsd:unsignedInt");
    EXPECT_FALSE(run->next(*registry.find_device(phone_key()), at(4)));
}

TEST_F(PresetPlanTest, ARunWithNothingToChangeSendsNothing) {
    const std::vector<Preset> presets = {preset(R"({"configurations": [
        {"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval", "value": 900}]})")};
    auto run = PresetRun::start(presets, *registry.find_device(phone_key()), events({"1 BOOT"}));
    ASSERT_TRUE(run);
    EXPECT_FALSE(run->next(*registry.find_device(phone_key()), at(1)));
    const std::vector<Preset> bootstrap_only = {preset(R"({"events": {"0 BOOTSTRAP": true},
        "configurations": [{"type": "value", "name": "Device.A", "value": "a"}]})")};
    EXPECT_FALSE(
        PresetRun::start(bootstrap_only, *registry.find_device(phone_key()), events({"1 BOOT"})));
}

}  // namespace
}  // namespace acssim
