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
         {"GetRPCMethods", "GetParameterValues", "SetParameterValues", "GetParameterNames"}) {
        EXPECT_TRUE(listed.count(required)) << required;
    }
}

TEST_F(RpcHandlers, UnknownMethodsFault9000) {
    const auto fault = expect_fault(dispatcher.dispatch(cwmp::Reboot{"key"}));
    EXPECT_EQ(fault.fault_code, cwmp::kMethodNotSupported);
    EXPECT_NE(fault.fault_string.find("Reboot"), std::string::npos);
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

}  // namespace
}  // namespace agent::rpc
