#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "cwmp/fault_codes.hpp"
#include "rpc/rpc_dispatcher.hpp"
#include "test_model.hpp"

namespace agent::rpc {
namespace {

constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";
constexpr const char* kParameterKey = "Device.ManagementServer.ParameterKey";

class RpcHandlers : public ::testing::Test {
protected:
    datamodel::Model model{testing::phone_definitions()};
    RpcDispatcher dispatcher{model};

    template <class T>
    T expect(const cwmp::Body& body) {
        if (const auto* fault = std::get_if<cwmp::Fault>(&body)) {
            ADD_FAILURE() << "fault " << fault->fault_code << " " << fault->fault_string;
            return T{};
        }
        EXPECT_TRUE(std::holds_alternative<T>(body)) << cwmp::method_name(body);
        return std::holds_alternative<T>(body) ? std::get<T>(body) : T{};
    }
    cwmp::Fault expect_fault(const cwmp::Body& body) {
        EXPECT_TRUE(std::holds_alternative<cwmp::Fault>(body)) << cwmp::method_name(body);
        return std::holds_alternative<cwmp::Fault>(body) ? std::get<cwmp::Fault>(body)
                                                         : cwmp::Fault{};
    }
};

// Every message type, default-constructed, paired with its method name.
template <std::size_t... I>
std::vector<cwmp::Body> every_message(std::index_sequence<I...>) {
    return {cwmp::Body(std::in_place_index<I>)...};
}

TEST_F(RpcHandlers, GetRPCMethodsListsExactlyTheMethodsThatAreHandled) {
    const auto response =
        expect<cwmp::GetRPCMethodsResponse>(dispatcher.dispatch(cwmp::GetRPCMethods{}));
    const std::set<std::string> listed(response.method_list.begin(), response.method_list.end());
    EXPECT_EQ(listed.size(), response.method_list.size()) << "duplicates in the list";
    std::set<std::string> handled;
    for (const auto& message :
         every_message(std::make_index_sequence<std::variant_size_v<cwmp::Body>>())) {
        const cwmp::Body answer = dispatcher.dispatch(message);
        const auto* fault = std::get_if<cwmp::Fault>(&answer);
        if (fault == nullptr || fault->fault_code != cwmp::kMethodNotSupported) {
            handled.insert(std::string(cwmp::method_name(message)));
        }
    }
    EXPECT_EQ(listed, handled);
    for (const char* required :
         {"GetRPCMethods", "GetParameterValues", "SetParameterValues", "GetParameterNames",
          "GetParameterAttributes", "SetParameterAttributes", "AddObject", "DeleteObject"}) {
        EXPECT_TRUE(listed.count(required)) << required;
    }
}

TEST_F(RpcHandlers, UnknownMethodsFault9000) {
    const auto fault = expect_fault(dispatcher.dispatch(cwmp::TransferComplete{}));
    EXPECT_EQ(fault.fault_code, cwmp::kMethodNotSupported);
    EXPECT_NE(fault.fault_string.find("TransferComplete"), std::string::npos);
    EXPECT_EQ(expect_fault(dispatcher.dispatch(cwmp::InformResponse{})).fault_code,
              cwmp::kMethodNotSupported);
}

TEST_F(RpcHandlers, GetParameterValuesReturnsTypedValues) {
    const auto response = expect<cwmp::GetParameterValuesResponse>(
        dispatcher.dispatch(cwmp::GetParameterValues{{kInterval, "Device.RootDataModelVersion"}}));
    ASSERT_EQ(response.parameter_list.size(), 2u);
    EXPECT_EQ(response.parameter_list[0].name, kInterval);
    EXPECT_EQ(response.parameter_list[0].type, "xsd:unsignedInt");
    EXPECT_EQ(response.parameter_list[0].value, model.value(kInterval).value());
    EXPECT_EQ(response.parameter_list[1].type, "xsd:string");
    EXPECT_EQ(response.parameter_list[1].value, "2.17");
}

TEST_F(RpcHandlers, GetParameterValuesOfAPartialPathListsTheObject) {
    const auto response = expect<cwmp::GetParameterValuesResponse>(
        dispatcher.dispatch(cwmp::GetParameterValues{{"Device.ManagementServer."}}));
    EXPECT_GT(response.parameter_list.size(), 10u);
    for (const auto& p : response.parameter_list) {
        EXPECT_EQ(p.name.rfind("Device.ManagementServer.", 0), 0u) << p.name;
        if (p.name == "Device.ManagementServer.Password") {
            EXPECT_EQ(p.value, "");
        }
    }
}

TEST_F(RpcHandlers, GetParameterValuesOfAnUnknownNameFaults9005) {
    const auto fault = expect_fault(
        dispatcher.dispatch(cwmp::GetParameterValues{{"Device.ManagementServer.Nope"}}));
    EXPECT_EQ(fault.fault_code, cwmp::kInvalidParameterName);
}

TEST_F(RpcHandlers, SetParameterValuesAppliesValuesAndParameterKey) {
    cwmp::SetParameterValues request;
    request.parameter_list = {{kInterval, "77", "xsd:unsignedInt"}};
    request.parameter_key = "key-1";
    const auto response = expect<cwmp::SetParameterValuesResponse>(dispatcher.dispatch(request));
    EXPECT_EQ(response.status, 0);
    EXPECT_EQ(model.value(kInterval), "77");
    EXPECT_EQ(model.value(kParameterKey), "key-1");
}

TEST_F(RpcHandlers, SetParameterValuesAcceptsValuesWithoutXsiType) {
    cwmp::SetParameterValues request;
    request.parameter_list = {{kInterval, "78", ""}};
    expect<cwmp::SetParameterValuesResponse>(dispatcher.dispatch(request));
    EXPECT_EQ(model.value(kInterval), "78");
}

TEST_F(RpcHandlers, FailedSetParameterValuesReportsEveryParameterAndChangesNothing) {
    const std::string before = model.value(kInterval).value();
    cwmp::SetParameterValues request;
    request.parameter_list = {
        {kInterval, "0", "xsd:unsignedInt"},  // below the range 1..
        {"Device.ManagementServer.ConnectionRequestURL", "http://x/", "xsd:string"},  // read-only
        {"Device.ManagementServer.NoSuchThing", "1", "xsd:string"},
        {"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"},  // fine alone
    };
    request.parameter_key = "must-not-stick";
    const auto fault = expect_fault(dispatcher.dispatch(request));
    EXPECT_EQ(fault.fault_code, cwmp::kInvalidArguments);
    ASSERT_EQ(fault.set_parameter_values_faults.size(), 3u);
    std::map<std::string, std::uint32_t> codes;
    for (const auto& f : fault.set_parameter_values_faults) {
        codes[f.parameter_name] = f.fault_code;
        EXPECT_FALSE(f.fault_string.empty());
    }
    EXPECT_EQ(codes[kInterval], cwmp::kInvalidParameterValue);
    EXPECT_EQ(codes["Device.ManagementServer.ConnectionRequestURL"], cwmp::kNonWritableParameter);
    EXPECT_EQ(codes["Device.ManagementServer.NoSuchThing"], cwmp::kInvalidParameterName);
    EXPECT_EQ(model.value(kInterval), before);
    EXPECT_NE(model.value(kParameterKey), "must-not-stick");
}

TEST_F(RpcHandlers, SetParameterValuesWithAWrongTypeFaults9006) {
    cwmp::SetParameterValues request;
    request.parameter_list = {{kInterval, "60", "xsd:boolean"}};
    auto fault = expect_fault(dispatcher.dispatch(request));
    ASSERT_EQ(fault.set_parameter_values_faults.size(), 1u);
    EXPECT_EQ(fault.set_parameter_values_faults[0].fault_code, cwmp::kInvalidParameterType);

    request.parameter_list = {{kInterval, "60", "xsd:float"}};
    fault = expect_fault(dispatcher.dispatch(request));
    ASSERT_EQ(fault.set_parameter_values_faults.size(), 1u);
    EXPECT_EQ(fault.set_parameter_values_faults[0].fault_code, cwmp::kInvalidParameterType);
}

TEST_F(RpcHandlers, OverlongParameterKeyFaults9003) {
    cwmp::SetParameterValues request;
    request.parameter_list = {{kInterval, "60", "xsd:unsignedInt"}};
    request.parameter_key = std::string(33, 'k');
    EXPECT_EQ(expect_fault(dispatcher.dispatch(request)).fault_code, cwmp::kInvalidArguments);
}

TEST_F(RpcHandlers, GetParameterNamesNextLevel) {
    const auto response = expect<cwmp::GetParameterNamesResponse>(
        dispatcher.dispatch(cwmp::GetParameterNames{"Device.ManagementServer.", true}));
    bool found_interval = false;
    for (const auto& info : response.parameter_list) {
        if (info.name == kInterval) {
            found_interval = true;
            EXPECT_TRUE(info.writable);
        }
        if (info.name == "Device.ManagementServer.ParameterKey") {
            EXPECT_FALSE(info.writable);
        }
    }
    EXPECT_TRUE(found_interval);
}

TEST_F(RpcHandlers, GetParameterNamesOfAnUnknownPathFaults9005) {
    EXPECT_EQ(expect_fault(dispatcher.dispatch(cwmp::GetParameterNames{"Device.Nope.", false}))
                  .fault_code,
              cwmp::kInvalidParameterName);
}

TEST_F(RpcHandlers, GetParameterNamesNextLevelOnAParameterFaults9003) {
    EXPECT_EQ(
        expect_fault(dispatcher.dispatch(cwmp::GetParameterNames{kInterval, true})).fault_code,
        cwmp::kInvalidArguments);
}

constexpr const char* kInformParameters = "Device.ManagementServer.InformParameter.";
constexpr const char* kInformParameterCount =
    "Device.ManagementServer.InformParameterNumberOfEntries";

TEST_F(RpcHandlers, AddObjectCreatesAnInstanceAndCommitsTheParameterKey) {
    auto response = expect<cwmp::AddObjectResponse>(
        dispatcher.dispatch(cwmp::AddObject{kInformParameters, "add-1"}));
    EXPECT_EQ(response, (cwmp::AddObjectResponse{1, 0}));
    EXPECT_EQ(model.value(kParameterKey), "add-1");
    EXPECT_EQ(model.value(kInformParameterCount), "1");
    const auto values = expect<cwmp::GetParameterValuesResponse>(dispatcher.dispatch(
        cwmp::GetParameterValues{{"Device.ManagementServer.InformParameter.1."}}));
    std::map<std::string, std::string> read;
    for (const auto& p : values.parameter_list) read[p.name] = p.value;
    EXPECT_EQ(read, (std::map<std::string, std::string>{
                        {"Device.ManagementServer.InformParameter.1.Enable", "false"},
                        {"Device.ManagementServer.InformParameter.1.Alias", "cpe-1"},
                        {"Device.ManagementServer.InformParameter.1.ParameterName", ""},
                        {"Device.ManagementServer.InformParameter.1.EventList", ""}}));
    response = expect<cwmp::AddObjectResponse>(
        dispatcher.dispatch(cwmp::AddObject{kInformParameters, "add-2"}));
    EXPECT_EQ(response.instance_number, 2u);
    EXPECT_EQ(model.value(kInformParameterCount), "2");
}

TEST_F(RpcHandlers, AddObjectOnAnythingButAWritableTableFaults9005AndKeepsTheParameterKey) {
    for (const char* name : {"Device.ManagementServer.", "Device.ManagementServer.InformParameter",
                             "Device.ManagementServer.InformParameter.1.",
                             "Device.ManagementServer.URL", "Device.NoSuchTable.", ""}) {
        const auto fault = expect_fault(dispatcher.dispatch(cwmp::AddObject{name, "bad"}));
        EXPECT_EQ(fault.fault_code, cwmp::kInvalidParameterName) << name;
    }
    EXPECT_EQ(model.value(kParameterKey), "");
    EXPECT_EQ(model.value(kInformParameterCount), "0");
}

TEST_F(RpcHandlers, AddAndDeleteObjectWithAnOverlongParameterKeyFault9003AndChangeNothing) {
    const std::string key(33, 'k');
    EXPECT_EQ(expect_fault(dispatcher.dispatch(cwmp::AddObject{kInformParameters, key})).fault_code,
              cwmp::kInvalidArguments);
    EXPECT_EQ(model.value(kInformParameterCount), "0");
    expect<cwmp::AddObjectResponse>(dispatcher.dispatch(cwmp::AddObject{kInformParameters, "a"}));
    const std::string instance = std::string(kInformParameters) + "1.";
    EXPECT_EQ(expect_fault(dispatcher.dispatch(cwmp::DeleteObject{instance, key})).fault_code,
              cwmp::kInvalidArguments);
    EXPECT_EQ(model.value(kInformParameterCount), "1");
    EXPECT_EQ(model.value(kParameterKey), "a");
}

TEST_F(RpcHandlers, DeleteObjectRemovesTheInstanceAndCommitsTheParameterKey) {
    expect<cwmp::AddObjectResponse>(dispatcher.dispatch(cwmp::AddObject{kInformParameters, "a"}));
    expect<cwmp::AddObjectResponse>(dispatcher.dispatch(cwmp::AddObject{kInformParameters, "b"}));
    const std::string first = std::string(kInformParameters) + "1.";
    EXPECT_EQ(
        expect<cwmp::DeleteObjectResponse>(dispatcher.dispatch(cwmp::DeleteObject{first, "del-1"})),
        (cwmp::DeleteObjectResponse{0}));
    EXPECT_EQ(model.value(kParameterKey), "del-1");
    EXPECT_EQ(model.value(kInformParameterCount), "1");
    const auto names = expect<cwmp::GetParameterNamesResponse>(
        dispatcher.dispatch(cwmp::GetParameterNames{kInformParameters, true}));
    ASSERT_EQ(names.parameter_list.size(), 1u);
    EXPECT_EQ(names.parameter_list[0].name, std::string(kInformParameters) + "2.");
    EXPECT_TRUE(names.parameter_list[0].writable);

    // Gone now, and never a table or a parameter: 9005, the key stays.
    for (const std::string& name :
         {first, std::string(kInformParameters), std::string("Device.ManagementServer."),
          std::string(kInformParameters) + "2.Enable"}) {
        EXPECT_EQ(expect_fault(dispatcher.dispatch(cwmp::DeleteObject{name, "del-2"})).fault_code,
                  cwmp::kInvalidParameterName)
            << name;
    }
    EXPECT_EQ(model.value(kParameterKey), "del-1");
    // Instance numbers are not reused.
    EXPECT_EQ(expect<cwmp::AddObjectResponse>(
                  dispatcher.dispatch(cwmp::AddObject{kInformParameters, "c"}))
                  .instance_number,
              3u);
}

TEST_F(RpcHandlers, GetParameterAttributesReportsNotificationAndAccessList) {
    const auto response = expect<cwmp::GetParameterAttributesResponse>(
        dispatcher.dispatch(cwmp::GetParameterAttributes{
            {kInterval, kParameterKey, "Device.ManagementServer.ConnectionRequestURL",
             "Device.DeviceInfo.SoftwareVersion"}}));
    ASSERT_EQ(response.parameter_list.size(), 4u);
    EXPECT_EQ(response.parameter_list[0], (cwmp::ParameterAttribute{kInterval, 0, {}}));
    EXPECT_EQ(response.parameter_list[1], (cwmp::ParameterAttribute{kParameterKey, 0, {}}));
    // forceDefaultEnabled and forceEnabled: active notification.
    EXPECT_EQ(response.parameter_list[2].notification, 2);
    EXPECT_EQ(response.parameter_list[3].notification, 2);

    const auto partial = expect<cwmp::GetParameterAttributesResponse>(
        dispatcher.dispatch(cwmp::GetParameterAttributes{{"Device.ManagementServer."}}));
    const auto values = expect<cwmp::GetParameterValuesResponse>(
        dispatcher.dispatch(cwmp::GetParameterValues{{"Device.ManagementServer."}}));
    ASSERT_EQ(partial.parameter_list.size(), values.parameter_list.size());
    for (std::size_t i = 0; i < values.parameter_list.size(); ++i) {
        EXPECT_EQ(partial.parameter_list[i].name, values.parameter_list[i].name);
    }
    EXPECT_EQ(expect_fault(dispatcher.dispatch(
                               cwmp::GetParameterAttributes{{"Device.ManagementServer.Nope"}}))
                  .fault_code,
              cwmp::kInvalidParameterName);
}

cwmp::SetParameterAttributesStruct notification(std::string name, int value) {
    return {std::move(name), true, value, false, {}};
}

TEST_F(RpcHandlers, SetParameterAttributesAppliesEveryEntry) {
    cwmp::SetParameterAttributes request;
    request.parameter_list = {notification(kInterval, 2),
                              {"Device.ManagementServer.URL", false, 0, true, {"Subscriber"}},
                              notification("Device.ManagementServer.ConnectionRequestURL", 0)};
    expect<cwmp::SetParameterAttributesResponse>(dispatcher.dispatch(request));
    const auto response = expect<cwmp::GetParameterAttributesResponse>(dispatcher.dispatch(
        cwmp::GetParameterAttributes{{kInterval, "Device.ManagementServer.URL",
                                      "Device.ManagementServer.ConnectionRequestURL"}}));
    ASSERT_EQ(response.parameter_list.size(), 3u);
    EXPECT_EQ(response.parameter_list[0], (cwmp::ParameterAttribute{kInterval, 2, {}}));
    EXPECT_EQ(response.parameter_list[1],
              (cwmp::ParameterAttribute{"Device.ManagementServer.URL", 0, {"Subscriber"}}));
    EXPECT_EQ(response.parameter_list[2].notification, 0);
}

TEST_F(RpcHandlers, SetParameterAttributesFaultsChangeNothing) {
    const auto fault_of = [this](cwmp::SetParameterAttributesStruct bad) {
        cwmp::SetParameterAttributes request;
        request.parameter_list = {notification(kInterval, 1), std::move(bad)};
        return expect_fault(dispatcher.dispatch(request)).fault_code;
    };
    // ParameterKey is canDeny, SoftwareVersion forceEnabled.
    EXPECT_EQ(fault_of(notification(kParameterKey, 2)), cwmp::kNotificationRequestRejected);
    EXPECT_EQ(fault_of(notification("Device.DeviceInfo.SoftwareVersion", 1)),
              cwmp::kNotificationRequestRejected);
    EXPECT_EQ(fault_of(notification(kInterval, 7)), cwmp::kInvalidArguments);
    EXPECT_EQ(fault_of({kInterval, false, 0, true, {"Admin"}}), cwmp::kInvalidArguments);
    EXPECT_EQ(fault_of(notification("Device.ManagementServer.Nope", 1)),
              cwmp::kInvalidParameterName);
    const auto response = expect<cwmp::GetParameterAttributesResponse>(
        dispatcher.dispatch(cwmp::GetParameterAttributes{{kInterval}}));
    ASSERT_EQ(response.parameter_list.size(), 1u);
    EXPECT_EQ(response.parameter_list[0].notification, 0);
}

}  // namespace
}  // namespace agent::rpc
