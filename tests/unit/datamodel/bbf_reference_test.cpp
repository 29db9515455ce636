// The Broadband Forum's own data models load, and the phone's definitions
// file agrees with TR-181 2.17 on every standard parameter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include "datamodel/definitions.hpp"
#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::Contains;
using ::testing::Field;

// One BBF file of the shared reference folder, or nothing when the folder is
// absent (the tests then skip) or the file does not load (a failure).
std::optional<Definitions> load_bbf(const char* name) {
    const auto dir = test::bbf_dir();
    if (!dir) return std::nullopt;
    auto definitions = Definitions::load_file(*dir / name);
    if (!definitions) {
        ADD_FAILURE() << definitions.error().file << ": " << definitions.error().message;
        return std::nullopt;
    }
    return std::move(*definitions);
}

const Definitions kNoDefinitions;

const Definitions& tr181() {
    static const std::optional<Definitions> loaded = load_bbf("tr-181-2-17-0-cwmp-full.xml");
    return loaded ? *loaded : kNoDefinitions;
}

#define SKIP_WITHOUT_BBF()                                                                   \
    do {                                                                                     \
        if (!test::bbf_dir()) {                                                              \
            GTEST_SKIP() << "BBF reference files not found (PHONECWMP_SHARED_DIR/reference/" \
                            "bbf, i.e. ../shared beside the clone); skipping";               \
        }                                                                                    \
    } while (false)

std::shared_ptr<const Definitions> phone_definitions() {
    auto loaded = Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
    if (!loaded) {
        ADD_FAILURE() << loaded.error().file << ": " << loaded.error().message;
        return std::make_shared<const Definitions>();
    }
    return std::make_shared<const Definitions>(std::move(*loaded));
}

TEST(BbfReference, Tr181FullLoads) {
    SKIP_WITHOUT_BBF();
    const Definitions& definitions = tr181();
    EXPECT_GT(definitions.objects().size(), 700u);
    EXPECT_GT(definitions.parameters().size(), 6000u);

    const ParameterDefinition* interval =
        definitions.find_parameter("Device.ManagementServer.PeriodicInformInterval");
    ASSERT_NE(interval, nullptr);
    EXPECT_EQ(interval->syntax.type, BaseType::UnsignedInt);
    EXPECT_EQ(interval->access, Access::ReadWrite);
    ASSERT_EQ(interval->syntax.ranges.size(), 1u);
    EXPECT_EQ(interval->syntax.ranges[0].min, 1);
    EXPECT_FALSE(interval->syntax.ranges[0].max);

    const ParameterDefinition* password =
        definitions.find_parameter("Device.ManagementServer.Password");
    ASSERT_NE(password, nullptr);
    EXPECT_TRUE(password->syntax.hidden);
    EXPECT_EQ(password->syntax.max_length, 256u);

    const ParameterDefinition* url = definitions.find_parameter("Device.ManagementServer.URL");
    ASSERT_NE(url, nullptr);
    EXPECT_EQ(url->syntax.data_type, "URL");
    EXPECT_EQ(url->syntax.max_length, 2048u);

    const ParameterDefinition* key =
        definitions.find_parameter("Device.ManagementServer.ParameterKey");
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(key->forced_inform);
    EXPECT_EQ(key->active_notify, ActiveNotify::CanDeny);
    EXPECT_EQ(key->access, Access::ReadOnly);

    const ParameterDefinition* mode =
        definitions.find_parameter("Device.ManagementServer.InstanceMode");
    ASSERT_NE(mode, nullptr);
    EXPECT_EQ(mode->syntax.enumeration,
              (std::vector<std::string>{"InstanceNumber", "InstanceAlias"}));
    EXPECT_EQ(mode->factory_default, "InstanceNumber");

    const ParameterDefinition* oui =
        definitions.find_parameter("Device.DeviceInfo.ManufacturerOUI");
    ASSERT_NE(oui, nullptr);
    EXPECT_EQ(oui->syntax.patterns, std::vector<std::string>{"[0-9A-F]{6}"});
    EXPECT_EQ(oui->syntax.min_length, 6u);

    // Derived data types: IPv4Address narrows IPAddress and adds patterns.
    const ParameterDefinition* gateway =
        definitions.find_parameter("Device.Routing.Router.{i}.IPv4Forwarding.{i}.GatewayIPAddress");
    ASSERT_NE(gateway, nullptr);
    EXPECT_EQ(gateway->syntax.data_type, "IPv4Address");
    EXPECT_EQ(gateway->syntax.max_length, 15u);
    EXPECT_EQ(gateway->syntax.patterns.size(), 2u);

    const ObjectDefinition* interfaces = definitions.find_object("Device.IP.Interface.{i}.");
    ASSERT_NE(interfaces, nullptr);
    EXPECT_TRUE(interfaces->multi_instance);
    EXPECT_EQ(interfaces->access, Access::ReadWrite);
    EXPECT_FALSE(interfaces->max_entries);
    EXPECT_EQ(interfaces->num_entries_parameter, "InterfaceNumberOfEntries");

    const ParameterDefinition* alias = definitions.find_parameter("Device.IP.Interface.{i}.Alias");
    ASSERT_NE(alias, nullptr);
    EXPECT_TRUE(alias->write_once);

    // Decimal parameters are skipped knowingly, with a reason.
    EXPECT_THAT(definitions.skipped(),
                Contains(Field(&SkippedItem::reason, ::testing::HasSubstr("decimal"))));
}

TEST(BbfReference, Tr104FullLoads) {
    SKIP_WITHOUT_BBF();
    const auto definitions =
        Definitions::load_file(*test::bbf_dir() / "tr-104-2-0-2-cwmp-full.xml");
    ASSERT_TRUE(definitions) << definitions.error().message;
    EXPECT_GT(definitions->parameters().size(), 800u);
    const ParameterDefinition* password =
        definitions->find_parameter("VoiceService.{i}.SIP.Client.{i}.AuthPassword");
    ASSERT_NE(password, nullptr);
    EXPECT_TRUE(password->syntax.hidden);  // secured
}

TEST(BbfReference, ModelOverTheFullTr181Tree) {
    SKIP_WITHOUT_BBF();
    const Model model(std::make_shared<const Definitions>(tr181()));
    const auto all = model.get_values({""});
    ASSERT_TRUE(all) << all.error().message;
    // Tables have no instances yet, so only single-instance objects' values.
    EXPECT_GT(all->size(), 500u);
    const auto names = model.get_names("Device.", true);
    ASSERT_TRUE(names);
    EXPECT_THAT(*names, Contains(NameInfo{"Device.IP.", false}));
    const auto server = model.get_values({"Device.ManagementServer."});
    ASSERT_TRUE(server);
    EXPECT_THAT(*server, Contains(ValueRead{"Device.ManagementServer.EnableCWMP", "true",
                                            BaseType::Boolean}));
}

// Every way in which two definitions of one parameter differ.
std::vector<std::string> differences(const ParameterDefinition& ours,
                                     const ParameterDefinition& theirs) {
    std::vector<std::string> found;
    const auto note = [&found](bool same, const char* what) {
        if (!same) found.push_back(what);
    };
    const Syntax& a = ours.syntax;
    const Syntax& b = theirs.syntax;
    note(a.type == b.type, "base type");
    note(a.list == b.list, "list");
    note(ours.access == theirs.access, "access");
    note(ours.write_once == theirs.write_once, "writeOnce");
    note(ours.forced_inform == theirs.forced_inform, "forcedInform");
    note(ours.active_notify == theirs.active_notify, "activeNotify");
    note(a.hidden == b.hidden, "hidden");
    note(a.command == b.command, "command");
    note(a.min_length == b.min_length && a.max_length == b.max_length, "size");
    note(a.lengths.size() == b.lengths.size(), "size alternatives");
    note(a.ranges.size() == b.ranges.size() &&
             std::equal(a.ranges.begin(), a.ranges.end(), b.ranges.begin(),
                        [](const Range& x, const Range& y) {
                            return x.min == y.min && x.max == y.max && x.step == y.step;
                        }),
         "ranges");
    note(std::set(a.enumeration.begin(), a.enumeration.end()) ==
             std::set(b.enumeration.begin(), b.enumeration.end()),
         "enumeration");
    note(std::set(a.read_only_enumeration.begin(), a.read_only_enumeration.end()) ==
             std::set(b.read_only_enumeration.begin(), b.read_only_enumeration.end()),
         "read-only enumeration values");
    note(std::set(a.patterns.begin(), a.patterns.end()) ==
             std::set(b.patterns.begin(), b.patterns.end()),
         "patterns");
    note(a.enumeration_ref.has_value() == b.enumeration_ref.has_value() &&
             (!a.enumeration_ref ||
              (a.enumeration_ref->target == b.enumeration_ref->target &&
               a.enumeration_ref->null_value == b.enumeration_ref->null_value)),
         "enumerationRef");
    note(a.list_min_items == b.list_min_items && a.list_max_items == b.list_max_items &&
             a.list_min_length == b.list_min_length && a.list_max_length == b.list_max_length,
         "list facets");
    return found;
}

const Definitions& tr104() {
    static const std::optional<Definitions> loaded = load_bbf("tr-104-2-0-2-cwmp-full.xml");
    return loaded ? *loaded : kNoDefinitions;
}

// TR-104 VoiceService:2 is a service model: its VoiceService.{i}. (and the
// model-level VoiceServiceNumberOfEntries) mount under Device.Services.
constexpr std::string_view kVoiceMount = "Device.Services.";

bool is_voice(std::string_view path) {
    return path.starts_with("Device.Services.VoiceService");
}

// The standard a path of ours is checked against, and its name there.
std::pair<const Definitions*, std::string> reference_for(const std::string& path) {
    if (is_voice(path)) return {&tr104(), path.substr(kVoiceMount.size())};
    return {&tr181(), path};
}

TEST(BbfReference, PhoneDefinitionsMatchTr181AndTr104) {
    SKIP_WITHOUT_BBF();
    const auto phone = phone_definitions();
    std::size_t compared_181 = 0;
    std::size_t compared_104 = 0;
    for (const ParameterDefinition& ours : phone->parameters()) {
        if (ours.path.find("X_") != std::string::npos) continue;  // vendor extension
        const auto [standard, name] = reference_for(ours.path);
        const char* standard_name = is_voice(ours.path) ? "TR-104 2.0.2" : "TR-181 2.17";
        const ParameterDefinition* theirs = standard->find_parameter(name);
        if (!theirs) {
            ADD_FAILURE() << ours.path << " is not a " << standard_name << " parameter";
            continue;
        }
        const std::vector<std::string> found = differences(ours, *theirs);
        std::ostringstream text;
        for (const std::string& difference : found) text << " " << difference;
        EXPECT_TRUE(found.empty())
            << ours.path << " differs from " << standard_name << " in:" << text.str();
        ++(is_voice(ours.path) ? compared_104 : compared_181);
    }
    for (const ObjectDefinition& ours : phone->objects()) {
        if (ours.path.find("X_") != std::string::npos) continue;
        const auto [standard, name] = reference_for(ours.path);
        const ObjectDefinition* theirs = standard->find_object(name);
        if (!theirs) {
            ADD_FAILURE() << ours.path << " is not a standard object";
            continue;
        }
        EXPECT_EQ(ours.access, theirs->access) << ours.path;
        EXPECT_EQ(ours.multi_instance, theirs->multi_instance) << ours.path;
        EXPECT_EQ(ours.min_entries, theirs->min_entries) << ours.path;
        EXPECT_EQ(ours.max_entries, theirs->max_entries) << ours.path;
        EXPECT_EQ(ours.num_entries_parameter, theirs->num_entries_parameter) << ours.path;
        EXPECT_EQ(ours.enable_parameter, theirs->enable_parameter) << ours.path;
    }
    std::cout << "checked " << compared_181 << " parameters against TR-181 2.17 and "
              << compared_104 << " against TR-104 2.0.2\n";
    EXPECT_GE(compared_181, 160u);
    EXPECT_GE(compared_104, 80u);
}

TEST(PhoneDefinitions, LoadAndCoverTheRequiredParameters) {
    const auto phone = phone_definitions();
    EXPECT_TRUE(phone->skipped().empty());
    for (const char* name : {"Device.RootDataModelVersion",
                             "Device.DeviceInfo.Manufacturer",
                             "Device.DeviceInfo.ManufacturerOUI",
                             "Device.DeviceInfo.ModelName",
                             "Device.DeviceInfo.ModelNumber",
                             "Device.DeviceInfo.Description",
                             "Device.DeviceInfo.ProductClass",
                             "Device.DeviceInfo.SerialNumber",
                             "Device.DeviceInfo.HardwareVersion",
                             "Device.DeviceInfo.SoftwareVersion",
                             "Device.DeviceInfo.AdditionalHardwareVersion",
                             "Device.DeviceInfo.AdditionalSoftwareVersion",
                             "Device.DeviceInfo.ProvisioningCode",
                             "Device.DeviceInfo.UpTime",
                             "Device.DeviceInfo.FirstUseDate",
                             "Device.DeviceInfo.HostName",
                             "Device.ManagementServer.EnableCWMP",
                             "Device.ManagementServer.URL",
                             "Device.ManagementServer.Username",
                             "Device.ManagementServer.Password",
                             "Device.ManagementServer.ScheduleReboot",
                             "Device.ManagementServer.DelayReboot",
                             "Device.ManagementServer.PeriodicInformEnable",
                             "Device.ManagementServer.PeriodicInformInterval",
                             "Device.ManagementServer.PeriodicInformTime",
                             "Device.ManagementServer.ParameterKey",
                             "Device.ManagementServer.ConnectionRequestURL",
                             "Device.ManagementServer.ConnectionRequestUsername",
                             "Device.ManagementServer.ConnectionRequestPassword",
                             "Device.ManagementServer.UpgradesManaged",
                             "Device.ManagementServer.DefaultActiveNotificationThrottle",
                             "Device.ManagementServer.CWMPRetryMinimumWaitInterval",
                             "Device.ManagementServer.CWMPRetryIntervalMultiplier",
                             "Device.ManagementServer.HTTPConnectionRequestEnable",
                             "Device.ManagementServer.AliasBasedAddressing",
                             "Device.ManagementServer.InstanceMode",
                             "Device.ManagementServer.AutoCreateInstances",
                             "Device.ManagementServer.SupportedConnReqMethods",
                             "Device.ManagementServer.HTTPCompressionSupported",
                             "Device.ManagementServer.HTTPCompression",
                             "Device.ManagementServer.InstanceWildcardsSupported",
                             "Device.GatewayInfo.ManufacturerOUI",
                             "Device.Time.NTPServer5",
                             "Device.DNS.Client.Server.{i}.DNSServer",
                             "Device.DHCPv4.Client.{i}.ReqOption.{i}.Order",
                             "Device.DHCPv4.Client.{i}.SentOption.{i}.Value",
                             "Device.DHCPv4.Client.{i}.X_PHONECWMP_SIPTimeoutRenewal",
                             "Device.DHCPv6.Client.{i}.RequestedOptions",
                             "Device.IP.Interface.{i}.IPv4Address.{i}.AddressingType",
                             "Device.IP.Interface.{i}.IPv6Address.{i}.Origin",
                             "Device.Routing.Router.{i}.IPv4Forwarding.{i}.GatewayIPAddress",
                             "Device.Routing.Router.{i}.IPv6Forwarding.{i}.NextHop",
                             "Device.Services.VoiceServiceNumberOfEntries",
                             "Device.Services.VoiceService.{i}.X_PHONECWMP_RestrictedAccessDomains",
                             "Device.Services.VoiceService.{i}.Capabilities.SIP.Client.Extensions",
                             "Device.Services.VoiceService.{i}.SIP.Network.{i}.InboundAuthPassword",
                             "Device.Services.VoiceService.{i}.SIP.Client.{i}.RegisterURI"}) {
        EXPECT_NE(phone->find_parameter(name), nullptr) << name;
    }
    EXPECT_TRUE(phone->find_parameter("Device.ManagementServer.Password")->syntax.hidden);
    EXPECT_TRUE(
        phone->find_parameter("Device.ManagementServer.ConnectionRequestPassword")->syntax.hidden);
}

TEST(PhoneDefinitions, FactoryDefaults) {
    const Model model(phone_definitions());
    const auto read = [&model](const char* path) {
        const auto values = model.get_values({path});
        return values ? values->front().value : "<error>";
    };
    EXPECT_EQ(read("Device.RootDataModelVersion"), "2.17");
    EXPECT_EQ(read("Device.ManagementServer.EnableCWMP"), "true");
    EXPECT_EQ(read("Device.ManagementServer.PeriodicInformEnable"), "true");
    EXPECT_EQ(read("Device.ManagementServer.PeriodicInformInterval"), "3600");
    EXPECT_EQ(read("Device.ManagementServer.PeriodicInformTime"), "0001-01-01T00:00:00Z");
    EXPECT_EQ(read("Device.ManagementServer.CWMPRetryMinimumWaitInterval"), "5");
    EXPECT_EQ(read("Device.ManagementServer.CWMPRetryIntervalMultiplier"), "2000");
    EXPECT_EQ(read("Device.ManagementServer.HTTPConnectionRequestEnable"), "true");
    EXPECT_EQ(read("Device.ManagementServer.InstanceMode"), "InstanceNumber");
    EXPECT_EQ(read("Device.ManagementServer.HTTPCompression"), "Disabled");
    EXPECT_EQ(read("Device.ManagementServer.SupportedConnReqMethods"), "HTTP");
    EXPECT_EQ(read("Device.ManagementServer.DelayReboot"), "-1");
    EXPECT_EQ(read("Device.ManagementServer.ParameterKey"), "");
    EXPECT_EQ(read("Device.DeviceInfo.ManufacturerOUI"), "02504E");
    EXPECT_EQ(read("Device.DeviceInfo.Manufacturer"), "phonecwmp");
    EXPECT_EQ(read("Device.DeviceInfo.ProductClass"), "SIPPhone");
}

TEST(PhoneDefinitions, HttpCompressionOnlyFromTheSupportedList) {
    Model model(phone_definitions());
    const auto gzip = model.set_values({{"Device.ManagementServer.HTTPCompression", "GZIP", {}}});
    ASSERT_FALSE(gzip);
    EXPECT_EQ(gzip.error()[0].code, ErrorCode::InvalidValue);
    ASSERT_TRUE(model.set_internal(
        {{"Device.ManagementServer.HTTPCompressionSupported", "GZIP,Deflate", {}}}));
    EXPECT_TRUE(model.set_values({{"Device.ManagementServer.HTTPCompression", "GZIP", {}}}));
    EXPECT_TRUE(model.set_values({{"Device.ManagementServer.HTTPCompression", "Disabled", {}}}));
}

TEST(PhoneDefinitions, InstalledLocationIsUnderSharePhonecwmp) {
    const std::filesystem::path installed = installed_definitions_file();
    EXPECT_EQ(installed.filename(), "phone-device.xml");
    EXPECT_EQ(installed.parent_path().filename(), "phonecwmp");
    EXPECT_TRUE(installed.is_absolute());
}

}  // namespace
}  // namespace datamodel
