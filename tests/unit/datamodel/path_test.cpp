#include "datamodel/path.hpp"

#include <gtest/gtest.h>

namespace datamodel {
namespace {

TEST(Path, TemplatePathReplacesInstanceNumbers) {
    EXPECT_EQ(template_path("Device.IP.Interface.1.Enable"), "Device.IP.Interface.{i}.Enable");
    EXPECT_EQ(template_path("Device.A.12.B.3."), "Device.A.{i}.B.{i}.");
    EXPECT_EQ(template_path("Device.ManagementServer.URL"), "Device.ManagementServer.URL");
    EXPECT_EQ(template_path("Device.X_1A.2"), "Device.X_1A.{i}");
    EXPECT_EQ(template_path(""), "");
}

TEST(Path, PartialPaths) {
    EXPECT_TRUE(is_partial_path(""));
    EXPECT_TRUE(is_partial_path("Device."));
    EXPECT_FALSE(is_partial_path("Device.RootDataModelVersion"));
}

TEST(Path, SplitPath) {
    std::vector<std::string_view> segments;
    ASSERT_TRUE(split_path("Device.IP.Interface.1.", segments));
    EXPECT_EQ(segments, (std::vector<std::string_view>{"Device", "IP", "Interface", "1"}));
    ASSERT_TRUE(split_path("Device.URL", segments));
    EXPECT_EQ(segments, (std::vector<std::string_view>{"Device", "URL"}));
    ASSERT_TRUE(split_path("", segments));
    EXPECT_TRUE(segments.empty());
    EXPECT_FALSE(split_path(".Device.", segments));
    EXPECT_FALSE(split_path("Device..IP.", segments));
    EXPECT_FALSE(split_path(".", segments));
}

}  // namespace
}  // namespace datamodel
