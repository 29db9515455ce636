// The SIP endpoint's counters as live parameters: what the endpoint counts
// is what a GetParameterValues of X_PHONECWMP_Stats returns, at once.
#include "voice/sip_statistics.hpp"

#include <gtest/gtest.h>

#include <map>

#include "../agent/io_loop.hpp"
#include "../agent/temp_folder.hpp"
#include "../agent/test_model.hpp"
#include "sip_test_peer.hpp"
#include "voice/sip_service_controller.hpp"

namespace agent::voice {
namespace {

constexpr const char* kNetwork = "Device.Services.VoiceService.1.SIP.Network.1.";
constexpr const char* kStats = "Device.Services.VoiceService.1.SIP.X_PHONECWMP_Stats.";
constexpr const char* kDomains =
    "Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains";

class SipStatisticsTest : public ::testing::Test {
protected:
    SipStatisticsTest() {
        const auto factory =
            std::filesystem::path(PHONECWMP_DEFINITIONS_FILE).parent_path() / "phone-factory.xml";
        auto opened = datamodel::Model::open(agent::testing::phone_definitions(),
                                             folder.path() / "store.sqlite", factory);
        if (!opened) {
            throw std::runtime_error("cannot open the model: " + opened.error().message);
        }
        model = std::move(*opened);
        // UserAgentPort 0 means 5060: ask the system for a free UDP port.
        std::uint16_t port = 0;
        {
            boost::asio::ip::udp::socket probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
            port = probe.local_endpoint().port();
        }
        EXPECT_TRUE(set({{std::string(kNetwork) + "UserAgentPort", std::to_string(port)}}));
        SipServiceOptions options;
        options.bind_address = boost::asio::ip::make_address("127.0.0.1");
        controller = std::make_unique<SipServiceController>(io, *model, options);
        auto published = publish_sip_statistics(*model, controller->endpoint());
        EXPECT_TRUE(published) << (published ? "" : published.error());
        controller->start();
    }

    phonecwmp::Expected<void, std::vector<datamodel::Error>> set(
        const std::vector<std::pair<std::string, std::string>>& values) {
        std::vector<datamodel::ValueWrite> writes;
        for (const auto& [path, value] : values) {
            writes.push_back({path, value, std::nullopt});
        }
        return model->set_values(writes);
    }

    // What GetParameterValues of the whole object returns, by short name.
    std::map<std::string, std::string> statistics() {
        std::map<std::string, std::string> found;
        auto values = model->get_values({kStats});
        EXPECT_TRUE(values);
        if (!values) {
            return found;
        }
        for (const auto& value : *values) {
            EXPECT_EQ(value.type, datamodel::BaseType::UnsignedLong) << value.path;
            found[value.path.substr(std::string(kStats).size())] = value.value;
        }
        return found;
    }

    agent::testing::TempFolder folder;
    std::unique_ptr<datamodel::Model> model;
    boost::asio::io_context io;
    std::unique_ptr<SipServiceController> controller;
};

TEST_F(SipStatisticsTest, EveryCounterIsPublishedAndStartsAtZero) {
    const auto found = statistics();
    EXPECT_EQ(found.size(), 16u);
    for (const auto& [name, value] : found) {
        EXPECT_EQ(value, "0") << name;
    }
    EXPECT_TRUE(found.contains("DroppedRequests"));
    EXPECT_TRUE(found.contains("RestrictedDomainsDropped"));
}

TEST_F(SipStatisticsTest, AnsweredRequestsShowAtOnce) {
    ASSERT_EQ(controller->endpoint().status(), sip::SipEndpoint::Status::Up);
    sip::test::UdpPeer peer(io);
    peer.send(controller->endpoint().local_port(),
              sip::test::sip_request("OPTIONS", "z9hG4bKstat1", "stat1", peer.port()));
    ASSERT_EQ(sip::test::status_of(peer.next()), 200);
    auto found = statistics();
    EXPECT_EQ(found["RequestsReceived"], "1");
    EXPECT_EQ(found["ResponsesSent"], "1");
    EXPECT_EQ(found["DroppedRequests"], "0");

    peer.send(controller->endpoint().local_port(), "this is not SIP\r\n\r\n");
    ASSERT_TRUE(agent::testing::run_until(
        io, [this] { return controller->endpoint().counters().malformed_dropped == 1; }));
    EXPECT_EQ(statistics()["MalformedDropped"], "1");
}

TEST_F(SipStatisticsTest, RequestsFromOutsideTheRestrictedDomainsCountAsDropped) {
    // c-ares answers "localhost" from /etc/hosts: 127.0.0.1 only.
    ASSERT_TRUE(set({{kDomains, "localhost"}}));
    ASSERT_TRUE(
        agent::testing::run_until(io, [this] { return controller->endpoint().filters_settled(); }));
    sip::test::UdpPeer outsider(io, "127.0.0.2");
    for (int sent = 1; sent <= 3; ++sent) {
        outsider.send(controller->endpoint().local_port(),
                      sip::test::sip_request("OPTIONS", "z9hG4bKout" + std::to_string(sent),
                                             "out" + std::to_string(sent), outsider.port()));
        ASSERT_TRUE(agent::testing::run_until(io, [this, sent] {
            return controller->endpoint().counters().restricted_dropped ==
                   static_cast<std::uint64_t>(sent);
        }));
        EXPECT_EQ(model->value(std::string(kStats) + "DroppedRequests"), std::to_string(sent));
        EXPECT_EQ(model->value(std::string(kStats) + "RestrictedDomainsDropped"),
                  std::to_string(sent));
    }
    EXPECT_EQ(outsider.pending(), 0u) << "dropped silently";

    sip::test::UdpPeer insider(io, "127.0.0.1");
    insider.send(controller->endpoint().local_port(),
                 sip::test::sip_request("OPTIONS", "z9hG4bKin1", "in1", insider.port()));
    EXPECT_EQ(sip::test::status_of(insider.next()), 200);
    EXPECT_EQ(statistics()["DroppedRequests"], "3");
    EXPECT_EQ(statistics()["ResponsesSent"], "1");
}

TEST_F(SipStatisticsTest, TheParametersCannotBeSet) {
    auto refused = set({{std::string(kStats) + "DroppedRequests", "0"}});
    EXPECT_FALSE(refused);
}

}  // namespace
}  // namespace agent::voice
