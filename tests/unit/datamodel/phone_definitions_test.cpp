// The phone's network and voice definitions behave as a SIP phone needs, and
// docs/datamodel.md is what the generator makes of them now.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "datamodel/factory.hpp"
#include "datamodel/model.hpp"
#include "dm_doc.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

std::shared_ptr<const Definitions> phone_definitions() {
    auto loaded = Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
    if (!loaded) {
        ADD_FAILURE() << loaded.error().file << ": " << loaded.error().message;
        return std::make_shared<const Definitions>();
    }
    return std::make_shared<const Definitions>(std::move(*loaded));
}

const std::string kNetwork = "Device.Services.VoiceService.1.SIP.Network.1.";
const std::string kClient = "Device.Services.VoiceService.1.SIP.Client.1.";
const std::string kVoice = "Device.Services.VoiceService.1.";

class PhoneModel : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = Model::open(phone_definitions(), dir_.path() / "store.db",
                                  std::filesystem::path(PHONECWMP_FACTORY_FILE));
        ASSERT_TRUE(opened) << opened.error().message;
        model_ = std::move(*opened);
    }
    bool set(const std::string& path, const std::string& value) {
        const auto result = model_->set_values({{path, value, {}}});
        if (!result) last_error_ = result.error().front();
        return static_cast<bool>(result);
    }
    std::string read(const std::string& path) {
        const auto values = model_->get_values({path});
        return values ? values->front().value : "<error>";
    }

    test::TempDir dir_;
    std::unique_ptr<Model> model_;
    Error last_error_;
};

TEST_F(PhoneModel, InboundAuthTakesTheThreeStandardValues) {
    const ParameterDefinition* inbound = model_->definitions().find_parameter(
        "Device.Services.VoiceService.{i}.SIP.Network.{i}.InboundAuth");
    ASSERT_NE(inbound, nullptr);
    EXPECT_EQ(inbound->syntax.enumeration,
              (std::vector<std::string>{"None", "Digest", "SourceFilter"}));
    EXPECT_TRUE(set(kNetwork + "InboundAuth", "Digest"));
    EXPECT_TRUE(set(kNetwork + "InboundAuth", "SourceFilter"));
    EXPECT_FALSE(set(kNetwork + "InboundAuth", "Yes"));
    EXPECT_EQ(last_error_.code, ErrorCode::InvalidValue);
    EXPECT_EQ(read(kNetwork + "InboundAuth"), "SourceFilter");
}

TEST_F(PhoneModel, TransportsAreTheStandardEnumeration) {
    for (const char* name :
         {"ProxyServerTransport", "RegistrarServerTransport", "UserAgentTransport"}) {
        const ParameterDefinition* transport = model_->definitions().find_parameter(
            std::string("Device.Services.VoiceService.{i}.SIP.Network.{i}.") + name);
        ASSERT_NE(transport, nullptr) << name;
        EXPECT_EQ(transport->syntax.enumeration,
                  (std::vector<std::string>{"UDP", "TCP", "TLS", "SCTP"}))
            << name;
        EXPECT_TRUE(set(kNetwork + name, "TLS"));
        EXPECT_FALSE(set(kNetwork + name, "tls"));
    }
    EXPECT_FALSE(set(kNetwork + "ProxyServerPort", "65536"));
    EXPECT_TRUE(set(kNetwork + "ProxyServerPort", "5061"));
    EXPECT_FALSE(set(kNetwork + "DSCPMark", "64"));
}

TEST_F(PhoneModel, PasswordsAreStoredButReadBackEmpty) {
    ASSERT_TRUE(set(kNetwork + "InboundAuthPassword", "s3cret"));
    ASSERT_TRUE(set(kClient + "AuthPassword", "line-secret"));
    EXPECT_EQ(read(kNetwork + "InboundAuthPassword"), "");
    EXPECT_EQ(read(kClient + "AuthPassword"), "");
    EXPECT_EQ(model_->value(kClient + "AuthPassword"), "line-secret");
    EXPECT_TRUE(model_->definitions()
                    .find_parameter("Device.Services.VoiceService.{i}.SIP.Client.{i}.AuthPassword")
                    ->syntax.hidden);
}

TEST_F(PhoneModel, RestrictedAccessDomainsIsAListOfDomainNames) {
    const std::string domains = kVoice + "X_PHONECWMP_RestrictedAccessDomains";
    EXPECT_TRUE(set(domains, "a.example.com,b.example.org"));
    EXPECT_EQ(read(domains), "a.example.com,b.example.org");
    EXPECT_TRUE(set(domains, "sip-1.provider.net"));
    EXPECT_TRUE(set(domains, ""));
    EXPECT_FALSE(set(domains, "not a domain!"));
    EXPECT_EQ(last_error_.code, ErrorCode::InvalidValue);
    EXPECT_FALSE(set(domains, "a.example.com,-bad.example.com"));
    EXPECT_FALSE(set(domains, "a..example.com"));
    std::string too_long;
    while (too_long.size() <= 1024) too_long += "abcdefghij.example.com,";
    too_long.pop_back();
    EXPECT_FALSE(set(domains, too_long));
    EXPECT_EQ(read(domains), "");
}

TEST_F(PhoneModel, SipTimeoutRenewalIsSecondsWithZeroForOff) {
    const std::string renewal = "Device.DHCPv4.Client.1.X_PHONECWMP_SIPTimeoutRenewal";
    EXPECT_EQ(read(renewal), "0");
    EXPECT_TRUE(set(renewal, "30"));
    EXPECT_FALSE(set(renewal, "-1"));
    EXPECT_EQ(read(renewal), "30");
}

TEST_F(PhoneModel, ReadOnlyStatusAndFactoryOnlyTables) {
    EXPECT_FALSE(set(kClient + "Status", "Up"));
    EXPECT_EQ(last_error_.code, ErrorCode::NotWritable);
    EXPECT_FALSE(set("Device.IP.Interface.1.IPv4Address.1.AddressingType", "Static"));
    // Static addressing: the ACS adds an address, a default route, a server.
    const auto address = model_->add_object("Device.IP.Interface.1.IPv4Address.");
    ASSERT_TRUE(address);
    const std::string prefix =
        "Device.IP.Interface.1.IPv4Address." + std::to_string(*address) + ".";
    EXPECT_EQ(read(prefix + "AddressingType"), "Static");
    EXPECT_TRUE(set(prefix + "IPAddress", "192.0.2.10"));
    EXPECT_FALSE(set(prefix + "IPAddress", "192.0.2.300"));
    const auto route = model_->add_object("Device.Routing.Router.1.IPv4Forwarding.");
    ASSERT_TRUE(route);
    EXPECT_TRUE(set("Device.Routing.Router.1.IPv4Forwarding.1.GatewayIPAddress", "192.0.2.1"));
    EXPECT_TRUE(model_->add_object("Device.DNS.Client.Server."));
    EXPECT_TRUE(set("Device.DNS.Client.Server.1.DNSServer", "2001:db8::53"));
}

TEST(DataModelDoc, CheckedInReferenceIsCurrent) {
    const auto definitions = phone_definitions();
    const auto factory = load_factory_file(PHONECWMP_FACTORY_FILE);
    ASSERT_TRUE(factory) << factory.error().message;
    const std::string expected =
        doc::render_markdown(*definitions, &*factory, "phone-device.xml and phone-factory.xml");
    std::ifstream in(PHONECWMP_DATAMODEL_DOC, std::ios::binary);
    ASSERT_TRUE(in) << PHONECWMP_DATAMODEL_DOC << " is missing";
    const std::string checked_in((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
    EXPECT_TRUE(checked_in == expected)
        << "docs/datamodel.md is stale: run `cmake --build <build-dir> --target datamodel-doc`";
    EXPECT_THAT(checked_in,
                ::testing::HasSubstr("## Device.Services.VoiceService.{i}.SIP.Network.{i}."));
}

}  // namespace
}  // namespace datamodel
