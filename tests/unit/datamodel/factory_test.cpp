// The factory file: instances and values a new store starts with.
#include "datamodel/factory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Definitions> phone_definitions() {
    auto loaded = Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
    if (!loaded) {
        ADD_FAILURE() << loaded.error().file << ": " << loaded.error().message;
        return std::make_shared<const Definitions>();
    }
    return std::make_shared<const Definitions>(std::move(*loaded));
}

FactorySettings parse(const std::string& body, const std::string& name = "factory.xml") {
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<factory xmlns=\"urn:phonecwmp:factory-1-0\">\n" + body +
        "</factory>\n";
    auto settings = load_factory_string(xml, name);
    if (!settings) {
        ADD_FAILURE() << settings.error().file << ": " << settings.error().message;
        return {};
    }
    return std::move(*settings);
}

class Factory : public ::testing::Test {
protected:
    std::unique_ptr<Model> open() {
        auto opened =
            Model::open(definitions_, store_, std::filesystem::path(PHONECWMP_FACTORY_FILE));
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        return std::move(*opened);
    }
    std::string value(const Model& model, const std::string& path) {
        return model.value(path).value_or("<missing>");
    }

    test::TempDir dir_;
    std::filesystem::path store_ = dir_.path() / "store.db";
    std::shared_ptr<const Definitions> definitions_ = phone_definitions();
};

TEST_F(Factory, AFreshStoreGetsThePhonesInstancesAndValues) {
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(value(*model, "Device.IP.InterfaceNumberOfEntries"), "1");
    EXPECT_EQ(value(*model, "Device.IP.Interface.1.Name"), "eth0");
    EXPECT_EQ(value(*model, "Device.IP.Interface.1.Type"), "Normal");
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.Enable"), "true");
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.Interface"), "Device.IP.Interface.1");
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.X_PHONECWMP_SIPTimeoutRenewal"), "0");
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.SentOption.1.Tag"), "60");
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.SentOption.1.Value"),
              "64736c666f72756d2e6f7267");  // "dslforum.org"
    const auto requested = value(*model, "Device.DHCPv4.Client.1.ReqOptionNumberOfEntries");
    EXPECT_EQ(requested, "12");
    std::vector<std::string> tags;
    for (int i = 1; i <= 12; ++i) {
        const std::string prefix = "Device.DHCPv4.Client.1.ReqOption." + std::to_string(i) + ".";
        EXPECT_EQ(value(*model, prefix + "Order"), std::to_string(i));
        EXPECT_EQ(value(*model, prefix + "Enable"), "true");
        tags.push_back(value(*model, prefix + "Tag"));
    }
    EXPECT_EQ(tags, (std::vector<std::string>{"1", "2", "3", "6", "15", "42", "43", "66", "125",
                                              "150", "159", "160"}));
    EXPECT_EQ(value(*model, "Device.DHCPv6.Client.1.Enable"), "true");
    EXPECT_EQ(value(*model, "Device.Routing.RouterNumberOfEntries"), "1");
    EXPECT_EQ(value(*model, "Device.DNS.Client.Enable"), "true");
    EXPECT_EQ(value(*model, "Device.Services.VoiceServiceNumberOfEntries"), "1");
    const std::string voice = "Device.Services.VoiceService.1.";
    EXPECT_EQ(value(*model, voice + "SIP.NetworkNumberOfEntries"), "1");
    EXPECT_EQ(value(*model, voice + "SIP.ClientNumberOfEntries"), "1");
    EXPECT_EQ(value(*model, voice + "SIP.Client.1.Network"), voice + "SIP.Network.1");
    EXPECT_EQ(value(*model, voice + "SIP.Network.1.ProxyServerTransport"), "UDP");
    EXPECT_EQ(value(*model, voice + "SIP.Network.1.InboundAuth"), "None");
    EXPECT_EQ(value(*model, voice + "SIP.Network.1.TimerT1"), "500");
    EXPECT_EQ(value(*model, voice + "X_PHONECWMP_RestrictedAccessDomains"), "");
}

TEST_F(Factory, TheFactorySettingsSurviveReopenAndAreNotAppliedAgain) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(model->delete_object("Device.DHCPv4.Client.1.SentOption.1."));
        ASSERT_TRUE(model->set_values({{"Device.IP.Interface.1.Enable", "false", {}}}));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_FALSE(model->freshly_created());
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.SentOptionNumberOfEntries"), "0");
    EXPECT_EQ(value(*model, "Device.IP.Interface.1.Enable"), "false");
    EXPECT_EQ(value(*model, "Device.IP.Interface.1.Name"), "eth0");
    EXPECT_EQ(value(*model, "Device.DHCPv4.Client.1.ReqOptionNumberOfEntries"), "12");
}

TEST_F(Factory, InstanceNumbersContinueAfterTheFactoryInstances) {
    const auto model = open();
    ASSERT_TRUE(model);
    const auto option = model->add_object("Device.DHCPv4.Client.1.ReqOption.");
    ASSERT_TRUE(option) << option.error().message;
    EXPECT_EQ(*option, 13u);
    const auto network = model->add_object("Device.Services.VoiceService.1.SIP.Network.");
    ASSERT_TRUE(network) << network.error().message;
    EXPECT_EQ(*network, 2u);
    // Also after a restart: the counters were stored with the instances.
    ASSERT_TRUE(model->delete_object("Device.DHCPv4.Client.1.SentOption.1."));
    const auto reopened = [&] {
        auto again = Model::open(definitions_, store_);
        EXPECT_TRUE(again);
        return again ? std::move(*again) : nullptr;
    };
    auto fresh = reopened();
    ASSERT_TRUE(fresh);
    const auto sent = fresh->add_object("Device.DHCPv4.Client.1.SentOption.");
    ASSERT_TRUE(sent);
    EXPECT_EQ(*sent, 2u);
}

TEST_F(Factory, ErrorsNameTheFileAndLine) {
    const auto open_with = [this](const FactorySettings& settings) {
        return Model::open(definitions_, store_, settings);
    };
    const auto unknown = open_with(
        parse("  <value path=\"Device.IP.Interface.1.Name\">x</value>\n", "phone-factory.xml"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::InvalidName);
    EXPECT_THAT(unknown.error().message, HasSubstr("phone-factory.xml: line 3"));

    const auto bad_value =
        open_with(parse("  <instance path=\"Device.IP.Interface.1.\">\n"
                        "    <value name=\"Type\">Ethernet</value>\n"
                        "  </instance>\n",
                        "phone-factory.xml"));
    ASSERT_FALSE(bad_value);
    EXPECT_EQ(bad_value.error().code, ErrorCode::InvalidValue);
    EXPECT_THAT(bad_value.error().message, HasSubstr("phone-factory.xml: line 4"));
    EXPECT_THAT(bad_value.error().message, HasSubstr("Ethernet"));

    const auto orphan =
        open_with(parse("\n  <instance path=\"Device.IP.Interface.1.IPv4Address.1.\"/>\n"));
    ASSERT_FALSE(orphan);
    EXPECT_THAT(orphan.error().message, HasSubstr("factory.xml: line 4"));

    const auto twice =
        open_with(parse("  <instance path=\"Device.IP.Interface.1.\"/>\n"
                        "  <instance path=\"Device.IP.Interface.1.\"/>\n"));
    ASSERT_FALSE(twice);
    EXPECT_THAT(twice.error().message, HasSubstr("line 4"));

    // Nothing was stored by the failed opens: a later open still starts fresh.
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(value(*model, "Device.IP.Interface.1.Name"), "eth0");
}

TEST_F(Factory, SyntaxErrorsNameTheFileAndLine) {
    const auto unknown_element = load_factory_string(
        "<factory xmlns=\"urn:phonecwmp:factory-1-0\">\n  <set path=\"x\"/>\n</factory>\n",
        "f.xml");
    ASSERT_FALSE(unknown_element);
    EXPECT_EQ(unknown_element.error().file, "f.xml");
    EXPECT_THAT(unknown_element.error().message, HasSubstr("line 2"));

    const auto malformed = load_factory_string("<factory>\n\n<value", "f.xml");
    ASSERT_FALSE(malformed);
    EXPECT_THAT(malformed.error().message, HasSubstr("malformed"));

    const auto no_namespace = load_factory_string("<factory/>", "f.xml");
    ASSERT_FALSE(no_namespace);

    const auto relative_outside = load_factory_string(
        "<factory xmlns=\"urn:phonecwmp:factory-1-0\">\n<value name=\"Enable\">1</value>\n"
        "</factory>",
        "f.xml");
    ASSERT_FALSE(relative_outside);
    EXPECT_THAT(relative_outside.error().message, HasSubstr("line 2"));

    const auto missing = load_factory_file(dir_.path() / "none.xml");
    ASSERT_FALSE(missing);
    EXPECT_THAT(missing.error().file, HasSubstr("none.xml"));
    const auto open_missing = Model::open(definitions_, store_, dir_.path() / "none.xml");
    ASSERT_FALSE(open_missing);
    EXPECT_THAT(open_missing.error().message, HasSubstr("none.xml"));
}

TEST_F(Factory, ReadOnlyTablesAndParametersCanBeFilledByTheFactory) {
    const auto model = Model::open(
        definitions_, store_,
        parse(
            "  <instance path=\"Device.Services.VoiceService.1.\"/>\n"
            "  <instance path=\"Device.Services.VoiceService.1.SIP.Network.3.\"/>\n"
            "  <value path=\"Device.Services.VoiceService.1.SIP.Network.3.Status\">Up</value>\n"));
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ((*model)->value("Device.Services.VoiceService.1.SIP.Network.3.Status"), "Up");
    const auto next = (*model)->add_object("Device.Services.VoiceService.1.SIP.Network.");
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, 4u);
    // The controller still cannot add voice services.
    EXPECT_FALSE((*model)->add_object("Device.Services.VoiceService."));
}

TEST(FactoryFile, InstalledLocationIsUnderSharePhonecwmp) {
    const std::filesystem::path installed = installed_factory_file();
    EXPECT_EQ(installed.filename(), "phone-factory.xml");
    EXPECT_EQ(installed.parent_path().filename(), "phonecwmp");
    EXPECT_TRUE(installed.is_absolute());
}

}  // namespace
}  // namespace datamodel
