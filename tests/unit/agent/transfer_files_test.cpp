// The transfer queue's stored form and the vendor configuration file format.
#include <gtest/gtest.h>

#include "test_model.hpp"
#include "transfer/configuration_file.hpp"
#include "transfer/transfer_record.hpp"

namespace agent::transfer {
namespace {

TEST(TransferRecordTest, ListSurvivesItsStoredForm) {
    TransferList list;
    list.next_id = 7;
    TransferRecord record;
    record.id = 5;
    record.direction = Direction::Upload;
    record.command_key = "key \"quoted\"";
    record.file_type = "2 Vendor Log File";
    record.url = "https://files.example.com/up?x=1";
    record.username = "u";
    record.password = "p\xc3\xa9";
    record.file_size = 42;
    record.not_before = 1800000000;
    record.state = TransferState::Completed;
    record.fault = {9011, "Upload failure"};
    record.start_time = "2026-11-27T01:00:00Z";
    record.complete_time = "2026-11-27T01:00:01Z";
    list.transfers.push_back(record);
    const auto parsed = transfer_list_from_json(to_json(list));
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(*parsed, list);
}

TEST(TransferRecordTest, MalformedStoredFormIsRefusedWithAReason) {
    for (
        const std::string text :
        {"", "[]", "{\"next_id\":1}", "{\"next_id\":1,\"transfers\":[{\"id\":1}]}",
         R"({"next_id":1,"transfers":[{"id":3,"direction":"download","command_key":"","file_type":"","url":"","username":"","password":"","file_size":0,"target_file_name":"","not_before":0,"state":1,"fault_code":0,"fault_string":"","start_time":"","complete_time":""}]})",
         R"({"next_id":9,"transfers":[{"id":3,"direction":"sideways","command_key":"","file_type":"","url":"","username":"","password":"","file_size":0,"target_file_name":"","not_before":0,"state":1,"fault_code":0,"fault_string":"","start_time":"","complete_time":""}]})"}) {
        const auto parsed = transfer_list_from_json(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().find("malformed transfer list"), std::string::npos);
    }
}

TEST(ConfigurationFileTest, ValuesAreRead) {
    const auto writes = parse_configuration_file(R"(<factory xmlns="urn:phonecwmp:factory-1-0">
  <value path="Device.ManagementServer.PeriodicInformInterval">300</value>
  <value path="Device.DeviceInfo.ProvisioningCode">abc</value>
</factory>)");
    ASSERT_TRUE(writes) << writes.error();
    ASSERT_EQ(writes->size(), 2u);
    EXPECT_EQ((*writes)[0].path, "Device.ManagementServer.PeriodicInformInterval");
    EXPECT_EQ((*writes)[0].value, "300");
}

TEST(ConfigurationFileTest, InstancesEmptyFilesAndGarbageAreRefused) {
    auto writes = parse_configuration_file(R"(<factory xmlns="urn:phonecwmp:factory-1-0">
  <instance path="Device.IP.Interface.2."/>
</factory>)");
    ASSERT_FALSE(writes);
    EXPECT_NE(writes.error().find("<instance>"), std::string::npos) << writes.error();
    writes = parse_configuration_file(R"(<factory xmlns="urn:phonecwmp:factory-1-0"/>)");
    ASSERT_FALSE(writes);
    writes = parse_configuration_file("this is not XML");
    ASSERT_FALSE(writes);
    writes = parse_configuration_file(std::string(kMaxConfigurationFileBytes + 1, ' '));
    ASSERT_FALSE(writes);
    EXPECT_NE(writes.error().find("larger"), std::string::npos);
}

TEST(ConfigurationFileTest, ExportRoundTripsWritableValuesWithoutPasswords) {
    datamodel::Model model{testing::phone_definitions()};
    ASSERT_TRUE(model.set_internal({{"Device.ManagementServer.PeriodicInformInterval", "1234", {}},
                                    {"Device.ManagementServer.Password", "secret", {}}}));
    const std::string exported = export_configuration_file(model);
    EXPECT_EQ(exported.find("secret"), std::string::npos);
    EXPECT_EQ(exported.find("Device.DeviceInfo.SoftwareVersion"), std::string::npos)
        << "read-only values are not configuration";
    const auto writes = parse_configuration_file(exported);
    ASSERT_TRUE(writes) << writes.error();
    bool found = false;
    for (const auto& write : *writes) {
        found |=
            write.path == "Device.ManagementServer.PeriodicInformInterval" && write.value == "1234";
    }
    EXPECT_TRUE(found);
    datamodel::ChangeSet changes;
    changes.writes = *writes;
    EXPECT_TRUE(model.apply(changes)) << "an exported file applies as it is";
}

}  // namespace
}  // namespace agent::transfer
