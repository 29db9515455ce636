// The envelopes GenieACS 1.2.16 and its simulator really send decode to the
// values they carry.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "cwmp/codec.hpp"
#include "test_files.hpp"

namespace cwmp {
namespace {

using Check = std::function<void(const Decoded&)>;

template <class T>
const T& body_as(const Decoded& decoded) {
    static const T empty{};
    const T* body = std::get_if<T>(&decoded.envelope.body);
    if (body == nullptr) {
        ADD_FAILURE() << "body is " << method_name(decoded.envelope.body);
        return empty;
    }
    return *body;
}

void expect_id(const Decoded& decoded, const std::string& id) {
    EXPECT_EQ(decoded.ns, Namespace::Cwmp10);
    EXPECT_EQ(decoded.envelope.header.id, id);
    EXPECT_FALSE(decoded.envelope.header.hold_requests);
    EXPECT_FALSE(decoded.envelope.header.session_timeout);
    EXPECT_FALSE(decoded.envelope.header.supported_cwmp_versions);
    EXPECT_FALSE(decoded.envelope.header.use_cwmp_version);
}

const std::string kMs = "InternetGatewayDevice.ManagementServer.";

// One check per file of the folder; a file without a check fails the test.
const std::map<std::string, Check>& checks() {
    static const std::map<std::string, Check> all = {
        {"acs-to-cpe-AddObject.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d540f80000");
             EXPECT_EQ(body_as<AddObject>(d),
                       (AddObject{"InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1."
                                  "WANIPConnection.1.PortMapping.",
                                  ""}));
         }},
        {"acs-to-cpe-DeleteObject.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d543180000");
             EXPECT_EQ(body_as<DeleteObject>(d),
                       (DeleteObject{"InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1."
                                     "WANIPConnection.1.PortMapping.1.",
                                     ""}));
         }},
        {"acs-to-cpe-Download.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d547920000");
             Download expected;
             expected.command_key = "1a219d547920000";
             expected.file_type = "1 Firmware Upgrade Image";
             expected.url = "http://127.0.0.1:7567/fw.bin";
             EXPECT_EQ(body_as<Download>(d), expected);
         }},
        {"acs-to-cpe-FactoryReset.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d5455f0000");
             EXPECT_TRUE(std::holds_alternative<FactoryReset>(d.envelope.body));
         }},
        {"acs-to-cpe-GetParameterNames.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d53a840000");
             EXPECT_EQ(body_as<GetParameterNames>(d), (GetParameterNames{kMs, true}));
         }},
        {"acs-to-cpe-GetParameterValues.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d53a840001");
             EXPECT_EQ(
                 body_as<GetParameterValues>(d).parameter_names,
                 (std::vector<std::string>{
                     kMs + "ConnectionRequestPassword", kMs + "ConnectionRequestUsername",
                     kMs + "Password", kMs + "PeriodicInformEnable", kMs + "PeriodicInformInterval",
                     kMs + "URL", kMs + "Username", kMs + "X_HUAWEI_SSLCertEnable"}));
         }},
        {"acs-to-cpe-InformResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "xdop5x4g");
             EXPECT_EQ(body_as<InformResponse>(d).max_envelopes, 1u);
         }},
        {"acs-to-cpe-SetParameterValues.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d53ede0000");
             EXPECT_EQ(body_as<SetParameterValues>(d),
                       (SetParameterValues{
                           {{kMs + "PeriodicInformInterval", "900", "xsd:unsignedInt"}}, ""}));
         }},
        {"cpe-to-acs-AddObjectResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d540f80000");
             EXPECT_EQ(body_as<AddObjectResponse>(d), (AddObjectResponse{2, 0}));
         }},
        {"cpe-to-acs-DeleteObjectResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d543180000");
             EXPECT_EQ(body_as<DeleteObjectResponse>(d).status, 0);
         }},
        {"cpe-to-acs-DownloadResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d547920000");
             EXPECT_EQ(body_as<DownloadResponse>(d),
                       (DownloadResponse{1, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"}));
         }},
        {"cpe-to-acs-GetParameterNamesResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d53a840000");
             EXPECT_EQ(body_as<GetParameterNamesResponse>(d).parameter_list,
                       (std::vector<ParameterInfo>{{kMs + "ConnectionRequestPassword", true},
                                                   {kMs + "ConnectionRequestURL", false},
                                                   {kMs + "ConnectionRequestUsername", true},
                                                   {kMs + "ParameterKey", false},
                                                   {kMs + "Password", true},
                                                   {kMs + "PeriodicInformEnable", true},
                                                   {kMs + "PeriodicInformInterval", true},
                                                   {kMs + "URL", true},
                                                   {kMs + "Username", true},
                                                   {kMs + "X_HUAWEI_SSLCertEnable", true}}));
         }},
        {"cpe-to-acs-GetParameterValuesResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d53a840001");
             EXPECT_EQ(
                 body_as<GetParameterValuesResponse>(d).parameter_list,
                 (std::vector<ParameterValue>{
                     {kMs + "ConnectionRequestPassword", "69t0mkjya1", "xsd:string"},
                     {kMs + "ConnectionRequestUsername", "202BC1-BM632w-000000", "xsd:string"},
                     {kMs + "Password", "", "xsd:string"},
                     {kMs + "PeriodicInformEnable", "true", "xsd:boolean"},
                     {kMs + "PeriodicInformInterval", "600", "xsd:unsignedInt"},
                     {kMs + "URL", "http://192.168.1.6:7547", "xsd:string"},
                     {kMs + "Username", "8KA8WA1151100043", "xsd:string"},
                     {kMs + "X_HUAWEI_SSLCertEnable", "false", "xsd:boolean"}}));
         }},
        {"cpe-to-acs-Inform.xml",
         [](const Decoded& d) {
             expect_id(d, "xdop5x4g");
             const auto& inform = body_as<Inform>(d);
             EXPECT_EQ(inform.device_id,
                       (DeviceId{"Huawei Technologies Co., Ltd.", "202BC1", "BM632w", "000000"}));
             EXPECT_EQ(inform.event, (std::vector<EventStruct>{{"6 CONNECTION REQUEST", ""}}));
             EXPECT_EQ(inform.max_envelopes, 1u);
             EXPECT_EQ(inform.current_time, "2026-11-26T21:48:54.270Z");
             EXPECT_EQ(inform.retry_count, 0u);
             // The envelope declares ParameterValueStruct[16] but carries 7.
             const std::string dev = "InternetGatewayDevice.DeviceInfo.";
             EXPECT_EQ(inform.parameter_list,
                       (std::vector<ParameterValue>{
                           {dev + "SpecVersion", "1", "xsd:string"},
                           {dev + "HardwareVersion", "40501", "xsd:string"},
                           {dev + "SoftwareVersion", "V100R001IRQC56B017", "xsd:string"},
                           {dev + "ProvisioningCode", "", "xsd:string"},
                           {kMs + "ParameterKey", "", "xsd:string"},
                           {kMs + "ConnectionRequestURL", "http://127.0.0.1:38337/", "xsd:string"},
                           {"InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1."
                            "WANIPConnection.1.ExternalIPAddress",
                            "172.3.89.139", "xsd:string"}}));
         }},
        {"cpe-to-acs-SetParameterValuesResponse.xml",
         [](const Decoded& d) {
             expect_id(d, "1a219d53ede0000");
             EXPECT_EQ(body_as<SetParameterValuesResponse>(d).status, 0);
         }},
    };
    return all;
}

TEST(GenieAcsFixtures, EveryFileDecodesToItsValues) {
    const auto dir = test::genieacs_fixture_dir();
    if (!dir) {
        GTEST_SKIP() << "GenieACS fixtures not found: set PHONECWMP_SHARED_DIR to the shared "
                        "folder holding reference/interop/genieacs-1.2.16";
    }
    auto codec = make_codec();
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        ++files;
        const std::string name = entry.path().filename().string();
        SCOPED_TRACE(name);
        const auto check = checks().find(name);
        ASSERT_NE(check, checks().end()) << "no expected values for fixture " << name;
        const auto decoded = codec->decode(test::read_text_file(entry.path()));
        ASSERT_TRUE(decoded.has_value())
            << to_string(decoded.error().kind) << ": " << decoded.error().detail;
        check->second(*decoded);
    }
    EXPECT_EQ(files, checks().size()) << "a fixture with expected values is missing";
}

TEST(GenieAcsFixtures, ReencodedInCwmp10TheyDecodeTheSame) {
    const auto dir = test::genieacs_fixture_dir();
    if (!dir) {
        GTEST_SKIP() << "GenieACS fixtures not found: set PHONECWMP_SHARED_DIR to the shared "
                        "folder holding reference/interop/genieacs-1.2.16";
    }
    auto codec = make_codec();
    for (const auto& [name, check] : checks()) {
        SCOPED_TRACE(name);
        const auto first = codec->decode(test::read_text_file(*dir / name));
        ASSERT_TRUE(first.has_value()) << first.error().detail;
        const auto second = codec->decode(codec->encode(first->envelope, first->ns));
        ASSERT_TRUE(second.has_value()) << second.error().detail;
        EXPECT_EQ(second->envelope, first->envelope);
        check(*second);
    }
}

}  // namespace
}  // namespace cwmp
