#include "cwmp/version.hpp"

#include <gtest/gtest.h>

namespace cwmp {
namespace {

TEST(Version, NamespaceUrisRoundTrip) {
    for (const auto ns : {Namespace::Cwmp10, Namespace::Cwmp11, Namespace::Cwmp12,
                          Namespace::Cwmp13, Namespace::Cwmp14}) {
        EXPECT_EQ(namespace_from_uri(namespace_uri(ns)), ns) << namespace_uri(ns);
    }
    EXPECT_EQ(namespace_uri(Namespace::Cwmp10), "urn:dslforum-org:cwmp-1-0");
    EXPECT_EQ(namespace_uri(Namespace::Cwmp11), "urn:dslforum-org:cwmp-1-1");
    EXPECT_EQ(namespace_uri(Namespace::Cwmp12), "urn:dslforum-org:cwmp-1-2");
    EXPECT_EQ(namespace_uri(Namespace::Cwmp13), "urn:dslforum-org:cwmp-1-3");
    EXPECT_EQ(namespace_uri(Namespace::Cwmp14), "urn:dslforum-org:cwmp-1-4");
}

TEST(Version, UnknownUrisAreRejected) {
    EXPECT_FALSE(namespace_from_uri(""));
    EXPECT_FALSE(namespace_from_uri("urn:dslforum-org:cwmp-1-5"));
    EXPECT_FALSE(namespace_from_uri("urn:dslforum-org:cwmp-1-2 "));
    EXPECT_FALSE(namespace_from_uri("http://schemas.xmlsoap.org/soap/envelope/"));
}

TEST(Version, VersionsMapToTheirNamespace) {
    EXPECT_EQ(namespace_for_version("1.0"), Namespace::Cwmp10);
    EXPECT_EQ(namespace_for_version("1.1"), Namespace::Cwmp11);
    // CWMP 1.2, 1.3 and 1.4 all use urn:dslforum-org:cwmp-1-2.
    EXPECT_EQ(namespace_for_version("1.2"), Namespace::Cwmp12);
    EXPECT_EQ(namespace_for_version("1.3"), Namespace::Cwmp12);
    EXPECT_EQ(namespace_for_version("1.4"), Namespace::Cwmp12);
    EXPECT_FALSE(namespace_for_version("1.5"));
    EXPECT_FALSE(namespace_for_version("2.0"));
    EXPECT_FALSE(namespace_for_version(""));
    EXPECT_FALSE(namespace_for_version("1"));
}

TEST(Version, HighestVersionOfEachNamespace) {
    EXPECT_EQ(highest_version_in(Namespace::Cwmp10), "1.0");
    EXPECT_EQ(highest_version_in(Namespace::Cwmp11), "1.1");
    EXPECT_EQ(highest_version_in(Namespace::Cwmp12), "1.4");
    EXPECT_EQ(highest_version_in(Namespace::Cwmp13), "1.3");
    EXPECT_EQ(highest_version_in(Namespace::Cwmp14), "1.4");
}

TEST(Version, SupportedVersionsListsEveryVersion) {
    EXPECT_EQ(kSupportedVersions, "1.0,1.1,1.2,1.3,1.4");
    for (const auto* version : {"1.0", "1.1", "1.2", "1.3", "1.4"}) {
        EXPECT_TRUE(namespace_for_version(version)) << version;
    }
}

}  // namespace
}  // namespace cwmp
