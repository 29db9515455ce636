// The restricted access domains: host matching, and the SetParameterValues
// rule that keeps the SIP servers inside the domains (fault 9007).
#include "voice/restricted_domains.hpp"

#include <gtest/gtest.h>

#include "cwmp/fault_codes.hpp"
#include "datamodel/factory.hpp"
#include "rpc/rpc_dispatcher.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"
#include "voice/restricted_domains_rule.hpp"

namespace agent::voice {
namespace {

TEST(RestrictedDomains, ListsAreNormalised) {
    EXPECT_EQ(parse_domain_list(" Example.COM., ,voip.example.net "),
              (std::vector<std::string>{"example.com", "voip.example.net"}));
    EXPECT_TRUE(parse_domain_list("").empty());
}

TEST(RestrictedDomains, AHostIsInsideWhenEqualOrASubdomain) {
    const auto domains = parse_domain_list("example.com,voip.example.net");
    EXPECT_TRUE(host_within_domains("example.com", domains));
    EXPECT_TRUE(host_within_domains("SIP.Example.com", domains));
    EXPECT_TRUE(host_within_domains("a.b.voip.example.net:5061", domains));
    EXPECT_TRUE(host_within_domains("proxy.example.com.", domains));
    EXPECT_FALSE(host_within_domains("badexample.com", domains));
    EXPECT_FALSE(host_within_domains("example.com.evil.org", domains));
    EXPECT_FALSE(host_within_domains("example.net", domains));
    EXPECT_FALSE(host_within_domains("", domains));
}

TEST(RestrictedDomains, AddressesAreInsideOnlyAnEmptyList) {
    const auto domains = parse_domain_list("example.com");
    EXPECT_FALSE(host_within_domains("192.0.2.1", domains));
    EXPECT_FALSE(host_within_domains("192.0.2.1:5060", domains));
    EXPECT_FALSE(host_within_domains("[2001:db8::1]:5060", domains));
    EXPECT_FALSE(host_within_domains("2001:db8::1", domains));
    EXPECT_TRUE(host_within_domains("192.0.2.1", {}));
}

TEST(RestrictedDomains, HostOfStripsPortAndBrackets) {
    EXPECT_EQ(host_of("proxy.example.com:5060"), "proxy.example.com");
    EXPECT_EQ(host_of("[2001:db8::1]:5061"), "2001:db8::1");
    EXPECT_EQ(host_of("2001:db8::1"), "2001:db8::1");
    EXPECT_EQ(host_of(" proxy "), "proxy");
}

constexpr const char* kDomains =
    "Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains";
constexpr const char* kProxy = "Device.Services.VoiceService.1.SIP.Network.1.ProxyServer";
constexpr const char* kRegistrar = "Device.Services.VoiceService.1.SIP.Network.1.RegistrarServer";
constexpr const char* kOutbound = "Device.Services.VoiceService.1.SIP.Network.1.OutboundProxy";

// The phone as it leaves the factory: one voice service with one network.
constexpr const char* kFactory = R"xml(<factory xmlns="urn:phonecwmp:factory-1-0">
  <instance path="Device.Services.VoiceService.1."/>
  <instance path="Device.Services.VoiceService.1.SIP.Network.1."/>
</factory>)xml";

std::unique_ptr<datamodel::Model> open_phone(const std::filesystem::path& store) {
    const auto factory = datamodel::load_factory_string(kFactory);
    if (!factory) throw std::runtime_error(factory.error().message);
    auto model = datamodel::Model::open(testing::phone_definitions(), store, *factory);
    if (!model) throw std::runtime_error(model.error().message);
    return std::move(*model);
}

class RestrictedDomainsRule : public ::testing::Test {
protected:
    void SetUp() override { register_restricted_domains_rule(model); }
    cwmp::Body set(std::vector<std::pair<std::string, std::string>> values) {
        cwmp::SetParameterValues request;
        for (auto& [name, value] : values) {
            request.parameter_list.push_back({name, value, "xsd:string"});
        }
        request.parameter_key = "k";
        return dispatcher.dispatch(request);
    }
    static std::vector<std::pair<std::string, std::uint32_t>> faults(const cwmp::Body& body) {
        std::vector<std::pair<std::string, std::uint32_t>> result;
        if (const auto* fault = std::get_if<cwmp::Fault>(&body)) {
            for (const auto& entry : fault->set_parameter_values_faults) {
                result.emplace_back(entry.parameter_name, entry.fault_code);
            }
        }
        return result;
    }

    testing::TempFolder folder;
    std::unique_ptr<datamodel::Model> owned = open_phone(folder.path() / "store.sqlite");
    datamodel::Model& model = *owned;
    rpc::RpcDispatcher dispatcher{model};
};

TEST_F(RestrictedDomainsRule, DomainsAndServersMayChangeTogether) {
    const cwmp::Body answer = set({{kDomains, "example.com"},
                                   {kProxy, "proxy.example.com"},
                                   {kRegistrar, "reg.example.com:5060"}});
    ASSERT_TRUE(std::holds_alternative<cwmp::SetParameterValuesResponse>(answer));
    EXPECT_EQ(model.value(kProxy), "proxy.example.com");
}

TEST_F(RestrictedDomainsRule, AServerOutsideFaults9007AndNothingChanges) {
    const cwmp::Body answer =
        set({{kDomains, "example.com"}, {kProxy, "proxy.example.com"}, {kOutbound, "evil.org"}});
    ASSERT_TRUE(std::holds_alternative<cwmp::Fault>(answer));
    EXPECT_EQ(std::get<cwmp::Fault>(answer).fault_code, cwmp::kInvalidArguments);
    EXPECT_EQ(faults(answer), (std::vector<std::pair<std::string, std::uint32_t>>{
                                  {kOutbound, cwmp::kInvalidParameterValue}}));
    EXPECT_EQ(model.value(kDomains), "");
    EXPECT_EQ(model.value(kProxy), "");
}

TEST_F(RestrictedDomainsRule, NarrowingTheDomainsUnderAServerFaultsOnTheDomains) {
    ASSERT_TRUE(std::holds_alternative<cwmp::SetParameterValuesResponse>(
        set({{kProxy, "proxy.example.com"}})));
    const cwmp::Body answer = set({{kDomains, "example.net"}});
    EXPECT_EQ(faults(answer), (std::vector<std::pair<std::string, std::uint32_t>>{
                                  {kDomains, cwmp::kInvalidParameterValue}}));
    // Emptying the list lifts the restriction.
    ASSERT_TRUE(std::holds_alternative<cwmp::SetParameterValuesResponse>(set({{kDomains, ""}})));
}

TEST_F(RestrictedDomainsRule, AnAddressIsRefusedWhileDomainsAreSet) {
    ASSERT_TRUE(
        std::holds_alternative<cwmp::SetParameterValuesResponse>(set({{kDomains, "example.com"}})));
    EXPECT_EQ(faults(set({{kProxy, "192.0.2.10"}})),
              (std::vector<std::pair<std::string, std::uint32_t>>{
                  {kProxy, cwmp::kInvalidParameterValue}}));
}

}  // namespace
}  // namespace agent::voice
