#include "dhcp/dhcpv4_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "dhcpv4_client_fakes.hpp"

namespace {

using namespace agent::dhcp;
using dhcp_test::FakeTransport;
using dhcp_test::ManualEnvironment;
using dhcp_test::SentPacket;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::array<std::uint8_t, 6> kHardware{0x02, 0, 0, 0, 0, 0x01};
const address_v4 kServer = boost::asio::ip::make_address_v4("10.231.0.1");
const address_v4 kOtherServer = boost::asio::ip::make_address_v4("10.231.0.2");
const address_v4 kAddress = boost::asio::ip::make_address_v4("10.231.0.100");
const address_v4 kOtherAddress = boost::asio::ip::make_address_v4("10.231.0.101");

Bytes u32_bytes(std::uint32_t value) {
    return {static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
            static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
}

Bytes address_bytes(address_v4 address) {
    return u32_bytes(address.to_uint());
}

struct ReplySpec {
    Dhcpv4MessageType type = Dhcpv4MessageType::Ack;
    std::uint32_t xid = 0;
    address_v4 yiaddr = kAddress;
    address_v4 server = kServer;
    std::uint32_t lease_time = 3600;
    std::optional<std::uint32_t> renewal_time;
    std::optional<std::uint32_t> rebinding_time;
    std::array<std::uint8_t, 6> hardware = kHardware;
    std::string nak_text;
};

Bytes reply(const ReplySpec& spec) {
    Dhcpv4Message message;
    message.op = kBootReply;
    message.xid = spec.xid;
    std::copy(spec.hardware.begin(), spec.hardware.end(), message.chaddr.begin());
    message.set(dhcpv4_option::kMessageType, {static_cast<std::uint8_t>(spec.type)});
    message.set(dhcpv4_option::kServerIdentifier, address_bytes(spec.server));
    if (spec.type == Dhcpv4MessageType::Nak) {
        if (!spec.nak_text.empty()) {
            message.set(dhcpv4_option::kMessage, Bytes(spec.nak_text.begin(), spec.nak_text.end()));
        }
    } else {
        message.yiaddr = spec.yiaddr;
        message.set(dhcpv4_option::kSubnetMask, u32_bytes(0xffffff00));
        message.set(dhcpv4_option::kLeaseTime, u32_bytes(spec.lease_time));
        if (spec.renewal_time)
            message.set(dhcpv4_option::kRenewalTime, u32_bytes(*spec.renewal_time));
        if (spec.rebinding_time) {
            message.set(dhcpv4_option::kRebindingTime, u32_bytes(*spec.rebinding_time));
        }
    }
    auto encoded = encode_dhcpv4(message);
    if (!encoded) throw std::logic_error(encoded.error().message);
    return *encoded;
}

std::optional<Dhcpv4MessageType> type_of(const Dhcpv4Message& message) {
    auto code = message.message_type_code();
    if (!code) return std::nullopt;
    return static_cast<Dhcpv4MessageType>(*code);
}

std::optional<address_v4> address_option(const Dhcpv4Message& message, std::uint8_t code) {
    const Bytes* data = message.find(code);
    if (data == nullptr || data->size() != 4) return std::nullopt;
    return address_v4(address_v4::bytes_type{(*data)[0], (*data)[1], (*data)[2], (*data)[3]});
}

class Dhcpv4ClientTest : public ::testing::Test {
protected:
    void make_client(std::optional<address_v4> remembered = {}) {
        Dhcpv4ClientSettings settings;
        settings.identity.hardware_address = kHardware;
        settings.identity.serial_number = "SN0001";
        settings.remembered_address = remembered;
        ASSERT_TRUE(Dhcpv4Client::validate(settings));
        client = std::make_unique<Dhcpv4Client>(
            settings, transport, environment,
            [this](const Dhcpv4ClientEvent& event) { events.push_back(event); });
    }

    const SentPacket& last() const { return transport.sent.back(); }

    // INIT → SELECTING → REQUESTING → BOUND with one server.
    void acquire(ReplySpec ack = {}) {
        make_client();
        client->start();
        ASSERT_EQ(transport.sent.size(), 1u);
        const std::uint32_t xid = last().message.xid;
        ReplySpec offer = ack;
        offer.type = Dhcpv4MessageType::Offer;
        offer.xid = xid;
        transport.deliver(reply(offer));
        ASSERT_EQ(client->state(), Dhcpv4ClientState::Requesting);
        ack.type = Dhcpv4MessageType::Ack;
        ack.xid = xid;
        transport.deliver(reply(ack));
        ASSERT_EQ(client->state(), Dhcpv4ClientState::Bound);
    }

    ManualEnvironment environment;
    FakeTransport transport{environment};
    std::vector<Dhcpv4ClientEvent> events;
    std::unique_ptr<Dhcpv4Client> client;
};

TEST_F(Dhcpv4ClientTest, DiscoverOfferRequestAckBindsAndReportsTheLease) {
    make_client();
    client->start();
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
    EXPECT_TRUE(last().broadcast);
    EXPECT_EQ(last().source, address_v4::any());
    const std::uint32_t xid = last().message.xid;

    transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = xid}));
    ASSERT_EQ(transport.sent.size(), 2u);
    const auto& request = last().message;
    EXPECT_EQ(type_of(request), Dhcpv4MessageType::Request);
    EXPECT_EQ(request.xid, xid);  // RFC 2131 table 5: the offer's xid
    EXPECT_EQ(address_option(request, dhcpv4_option::kRequestedAddress), kAddress);
    EXPECT_EQ(address_option(request, dhcpv4_option::kServerIdentifier), kServer);
    EXPECT_EQ(request.ciaddr, address_v4::any());

    environment.advance(seconds(1));
    transport.deliver(reply({.type = Dhcpv4MessageType::Ack, .xid = xid, .lease_time = 600}));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Dhcpv4ClientEventKind::Acquired);
    EXPECT_EQ(events[0].lease.address, kAddress);
    EXPECT_EQ(events[0].lease.server_identifier, kServer);
    EXPECT_NE(events[0].reply.find(dhcpv4_option::kLeaseTime), nullptr);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Bound);
    EXPECT_FALSE(transport.link_open);
    // The lease started when the REQUEST was sent, one second ago.
    EXPECT_EQ(client->lease_time_remaining(), 599);
    environment.advance(seconds(100));
    EXPECT_EQ(client->lease_time_remaining(), 499);
}

TEST_F(Dhcpv4ClientTest, RetransmitsWithExponentialBackoffThenRestarts) {
    make_client();
    client->start();
    environment.advance(seconds(4 + 8 + 16 + 32));
    ASSERT_EQ(transport.sent.size(), 5u);
    const std::vector<int> gaps{4, 8, 16, 32};
    for (std::size_t i = 1; i < transport.sent.size(); ++i) {
        EXPECT_EQ(transport.sent[i].at - transport.sent[i - 1].at, seconds(gaps[i - 1])) << i;
        EXPECT_EQ(transport.sent[i].message.xid, transport.sent[0].message.xid);
        EXPECT_EQ(type_of(transport.sent[i].message), Dhcpv4MessageType::Discover);
    }
    EXPECT_EQ(transport.sent[4].message.secs, 60);  // seconds since the exchange began
    // After the last DISCOVER the client waits 64 s, then 10 s, then starts over.
    environment.advance(seconds(64 + 10) - milliseconds(1));
    EXPECT_EQ(transport.sent.size(), 5u);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Init);
    environment.advance(milliseconds(1));
    ASSERT_EQ(transport.sent.size(), 6u);
    EXPECT_EQ(last().message.secs, 0);
}

TEST_F(Dhcpv4ClientTest, JitterStaysWithinOneSecond) {
    make_client();
    environment.random_value = 0;     // -1 s
    client->start();                  // the first wait is drawn now
    environment.random_value = 2000;  // +1 s for the second wait
    environment.advance(seconds(3));
    EXPECT_EQ(transport.sent.size(), 2u);
    environment.advance(seconds(9) - milliseconds(1));
    EXPECT_EQ(transport.sent.size(), 2u);
    environment.advance(milliseconds(1));
    EXPECT_EQ(transport.sent.size(), 3u);
}

TEST_F(Dhcpv4ClientTest, DropsRepliesForOtherTransactionsClientsOrStates) {
    make_client();
    client->start();
    const std::uint32_t xid = last().message.xid;
    transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = xid + 1}));
    transport.deliver(reply(
        {.type = Dhcpv4MessageType::Offer, .xid = xid, .hardware = {0x02, 0, 0, 0, 0, 0x02}}));
    transport.deliver(reply({.type = Dhcpv4MessageType::Ack, .xid = xid}));
    transport.deliver(Bytes{1, 2, 3});
    // An offer of an unusable address.
    transport.deliver(reply({.type = Dhcpv4MessageType::Offer,
                             .xid = xid,
                             .yiaddr = boost::asio::ip::make_address_v4("127.0.0.1")}));
    EXPECT_EQ(client->dropped_packets(), 5u);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
    EXPECT_EQ(transport.sent.size(), 1u);
}

TEST_F(Dhcpv4ClientTest, RequestingAcceptsOnlyTheSelectedServer) {
    make_client();
    client->start();
    const std::uint32_t xid = last().message.xid;
    transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = xid}));
    // A second offer arriving late is ignored.
    transport.deliver(
        reply({.type = Dhcpv4MessageType::Offer, .xid = xid, .server = kOtherServer}));
    transport.deliver(reply({.type = Dhcpv4MessageType::Ack, .xid = xid, .server = kOtherServer}));
    transport.deliver(reply({.type = Dhcpv4MessageType::Nak, .xid = xid, .server = kOtherServer}));
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Requesting);
    EXPECT_EQ(client->dropped_packets(), 3u);
    EXPECT_TRUE(events.empty());
}

TEST_F(Dhcpv4ClientTest, NakWhileRequestingRestartsDiscovery) {
    make_client();
    client->start();
    const std::uint32_t xid = last().message.xid;
    transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = xid}));
    transport.deliver(reply({.type = Dhcpv4MessageType::Nak, .xid = xid, .nak_text = "taken"}));
    ASSERT_EQ(transport.sent.size(), 3u);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
    EXPECT_TRUE(events.empty());  // there was no lease to lose
}

TEST_F(Dhcpv4ClientTest, RequestingGivesUpAfterTheBoundedRetransmissions) {
    make_client();
    client->start();
    transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = last().message.xid}));
    environment.advance(seconds(4 + 8 + 16 + 32 + 64));
    // 1 DISCOVER + 5 REQUESTs, then a new DISCOVER at once.
    ASSERT_EQ(transport.sent.size(), 7u);
    EXPECT_EQ(type_of(transport.sent[5].message), Dhcpv4MessageType::Request);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
    EXPECT_NE(last().message.xid, 0u);
}

TEST_F(Dhcpv4ClientTest, RenewsByUnicastAtT1) {
    acquire({.lease_time = 1000, .renewal_time = 100, .rebinding_time = 800});
    const std::size_t before = transport.sent.size();
    environment.advance(seconds(100) - milliseconds(1));
    EXPECT_EQ(transport.sent.size(), before);
    environment.advance(milliseconds(1));
    ASSERT_EQ(transport.sent.size(), before + 1);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Renewing);
    EXPECT_FALSE(last().broadcast);
    EXPECT_EQ(last().server, kServer);
    EXPECT_EQ(last().source, kAddress);
    EXPECT_EQ(last().message.ciaddr, kAddress);
    EXPECT_EQ(last().message.find(dhcpv4_option::kRequestedAddress), nullptr);
    EXPECT_EQ(last().message.find(dhcpv4_option::kServerIdentifier), nullptr);

    // No answer: retransmit after half the time left to T2 (350 s).
    environment.advance(seconds(350));
    ASSERT_EQ(transport.sent.size(), before + 2);
    EXPECT_EQ(last().message.xid, transport.sent[before].message.xid);

    // An ACK from another server is not the renewal asked for.
    transport.deliver(reply({.xid = last().message.xid, .server = kOtherServer}));
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Renewing);
    transport.deliver(reply({.xid = last().message.xid, .lease_time = 1000}));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::Renewed);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Bound);
    EXPECT_FALSE(transport.unicast_address);
    EXPECT_EQ(client->lease_time_remaining(), 1000 - 350);  // from the first renewal REQUEST
}

TEST_F(Dhcpv4ClientTest, RenewalRetransmissionWaitsAtLeastSixtySeconds) {
    acquire({.lease_time = 1000, .renewal_time = 500, .rebinding_time = 560});
    const std::size_t before = transport.sent.size();
    environment.advance(seconds(500));
    ASSERT_EQ(transport.sent.size(), before + 1);
    environment.advance(seconds(59));
    EXPECT_EQ(transport.sent.size(), before + 1);
    // At T2 (560 s) the client rebinds instead of retransmitting the renewal.
    environment.advance(seconds(1));
    ASSERT_EQ(transport.sent.size(), before + 2);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Rebinding);
    EXPECT_TRUE(last().broadcast);
}

TEST_F(Dhcpv4ClientTest, RebindsByBroadcastAtT2AndAcceptsAnyServer) {
    acquire({.lease_time = 1000, .renewal_time = 500, .rebinding_time = 875});
    environment.advance(seconds(875));
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Rebinding);
    EXPECT_TRUE(last().broadcast);
    EXPECT_EQ(last().source, kAddress);
    EXPECT_EQ(last().message.ciaddr, kAddress);
    EXPECT_FALSE(transport.unicast_address);
    EXPECT_TRUE(transport.link_open);
    transport.deliver(reply({.xid = last().message.xid, .server = kOtherServer}));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::Renewed);
    EXPECT_EQ(client->lease()->server_identifier, kOtherServer);
}

TEST_F(Dhcpv4ClientTest, RenewalWithAnotherAddressReportsTheChange) {
    acquire({.lease_time = 1000});
    client->renew();
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Renewing);
    transport.deliver(reply({.xid = last().message.xid, .yiaddr = kOtherAddress}));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::AddressChanged);
    EXPECT_EQ(events[1].previous_address, kAddress);
    EXPECT_EQ(events[1].lease.address, kOtherAddress);
}

TEST_F(Dhcpv4ClientTest, ExpiryLosesTheLeaseAndAsksForTheSameAddressAgain) {
    acquire({.lease_time = 1000});
    environment.advance(seconds(1000));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::Lost);
    EXPECT_EQ(events[1].reason, "lease expired");
    EXPECT_EQ(events[1].lease.address, kAddress);
    EXPECT_FALSE(client->lease());
    EXPECT_EQ(client->lease_time_remaining(), 0);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
    EXPECT_EQ(address_option(last().message, dhcpv4_option::kRequestedAddress), kAddress);
}

TEST_F(Dhcpv4ClientTest, NakWhileRenewingLosesTheLease) {
    acquire();
    client->renew();
    transport.deliver(reply(
        {.type = Dhcpv4MessageType::Nak, .xid = last().message.xid, .nak_text = "wrong network"}));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::Lost);
    EXPECT_NE(events[1].reason.find("wrong network"), std::string::npos);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
}

TEST_F(Dhcpv4ClientTest, RepeatedNaksAreRateLimited) {
    make_client();
    client->start();
    for (int round = 0; round < 2; ++round) {
        const std::uint32_t xid = last().message.xid;
        transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = xid}));
        transport.deliver(reply({.type = Dhcpv4MessageType::Nak, .xid = xid}));
    }
    // DISCOVER, REQUEST, DISCOVER (first NAK: at once), REQUEST, then a pause.
    EXPECT_EQ(transport.sent.size(), 4u);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Init);
    environment.advance(seconds(10));
    EXPECT_EQ(transport.sent.size(), 5u);
}

TEST_F(Dhcpv4ClientTest, WithoutAUnicastSocketRenewalWaitsForRebinding) {
    acquire({.lease_time = 1000, .renewal_time = 500, .rebinding_time = 875});
    transport.fail_unicast = true;
    const std::size_t before = transport.sent.size();
    environment.advance(seconds(874));
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Renewing);
    EXPECT_EQ(transport.sent.size(), before);
    environment.advance(seconds(1));
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Rebinding);
    EXPECT_EQ(transport.sent.size(), before + 1);
}

TEST_F(Dhcpv4ClientTest, InitRebootConfirmsTheRememberedAddress) {
    make_client(kAddress);
    client->start();
    EXPECT_EQ(client->state(), Dhcpv4ClientState::InitReboot);
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Request);
    EXPECT_EQ(address_option(last().message, dhcpv4_option::kRequestedAddress), kAddress);
    EXPECT_EQ(last().message.find(dhcpv4_option::kServerIdentifier), nullptr);
    EXPECT_EQ(last().message.ciaddr, address_v4::any());
    transport.deliver(reply({.xid = last().message.xid}));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Dhcpv4ClientEventKind::Acquired);
}

TEST_F(Dhcpv4ClientTest, InitRebootWithAnotherAddressReportsTheChange) {
    make_client(kOtherAddress);
    client->start();
    transport.deliver(reply({.xid = last().message.xid}));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, Dhcpv4ClientEventKind::AddressChanged);
    EXPECT_EQ(events[0].previous_address, kOtherAddress);
}

TEST_F(Dhcpv4ClientTest, InitRebootRefusedByNakFallsBackToDiscovery) {
    make_client(kAddress);
    client->start();
    transport.deliver(reply({.type = Dhcpv4MessageType::Nak, .xid = last().message.xid}));
    EXPECT_TRUE(events.empty());  // the remembered address was never in use
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
}

TEST_F(Dhcpv4ClientTest, ExpiryWhileRebindingLosesTheLease) {
    acquire({.lease_time = 1000, .renewal_time = 500, .rebinding_time = 875});
    environment.advance(seconds(875));
    ASSERT_EQ(client->state(), Dhcpv4ClientState::Rebinding);
    environment.advance(seconds(125));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::Lost);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
    EXPECT_EQ(last().source, address_v4::any());
}

TEST_F(Dhcpv4ClientTest, InitRebootWithoutAnswerFallsBackToDiscovery) {
    make_client(kAddress);
    client->start();
    environment.advance(seconds(4 + 8 + 16 + 32 + 64));
    ASSERT_EQ(transport.sent.size(), 6u);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Selecting);
}

TEST_F(Dhcpv4ClientTest, DeclineSendsDeclineAndRestartsAfterTenSeconds) {
    acquire();
    const std::size_t before = transport.sent.size();
    client->decline("ARP reply from 02:00:00:00:00:09");
    ASSERT_EQ(transport.sent.size(), before + 1);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Decline);
    EXPECT_EQ(address_option(last().message, dhcpv4_option::kRequestedAddress), kAddress);
    EXPECT_EQ(address_option(last().message, dhcpv4_option::kServerIdentifier), kServer);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, Dhcpv4ClientEventKind::Lost);
    environment.advance(seconds(10) - milliseconds(1));
    EXPECT_EQ(transport.sent.size(), before + 1);
    environment.advance(milliseconds(1));
    ASSERT_EQ(transport.sent.size(), before + 2);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Discover);
    EXPECT_EQ(last().message.find(dhcpv4_option::kRequestedAddress), nullptr);
}

TEST_F(Dhcpv4ClientTest, StopReleasesByUnicast) {
    acquire();
    client->stop();
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Stopped);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Release);
    EXPECT_FALSE(last().broadcast);
    EXPECT_EQ(last().server, kServer);
    EXPECT_EQ(last().message.ciaddr, kAddress);
    EXPECT_EQ(environment.running_timers(), 0u);
    EXPECT_FALSE(transport.link_open);
    EXPECT_FALSE(transport.unicast_address);
    EXPECT_EQ(events.size(), 1u);
}

TEST_F(Dhcpv4ClientTest, StopBroadcastsTheReleaseWhenUnicastIsImpossible) {
    acquire();
    transport.fail_unicast = true;
    client->stop();
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Release);
    EXPECT_TRUE(last().broadcast);
    EXPECT_EQ(last().source, kAddress);
}

TEST_F(Dhcpv4ClientTest, StopWithoutLeaseSendsNothing) {
    make_client();
    client->start();
    client->stop();
    EXPECT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(environment.running_timers(), 0u);
    environment.advance(seconds(600));
    EXPECT_EQ(transport.sent.size(), 1u);
}

TEST_F(Dhcpv4ClientTest, InfiniteLeaseHasNoTimers) {
    acquire({.lease_time = kInfiniteLeaseTime});
    EXPECT_EQ(client->lease_time_remaining(), -1);
    EXPECT_EQ(environment.running_timers(), 0u);
}

TEST_F(Dhcpv4ClientTest, LinkFailureIsRetriedAfterTheRestartDelay) {
    transport.fail_link = true;
    make_client();
    client->start();
    EXPECT_TRUE(transport.sent.empty());
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Init);
    transport.fail_link = false;
    environment.advance(seconds(10));
    EXPECT_EQ(transport.sent.size(), 1u);
}

TEST_F(Dhcpv4ClientTest, TheEventHandlerMayStopTheClient) {
    Dhcpv4ClientSettings settings;
    settings.identity.hardware_address = kHardware;
    client = std::make_unique<Dhcpv4Client>(settings, transport, environment,
                                            [this](const Dhcpv4ClientEvent& event) {
                                                events.push_back(event);
                                                client->stop();
                                            });
    client->start();
    const std::uint32_t xid = last().message.xid;
    transport.deliver(reply({.type = Dhcpv4MessageType::Offer, .xid = xid}));
    transport.deliver(reply({.xid = xid}));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(client->state(), Dhcpv4ClientState::Stopped);
    EXPECT_EQ(type_of(last().message), Dhcpv4MessageType::Release);
    EXPECT_EQ(environment.running_timers(), 0u);
}

TEST(Dhcpv4ClientSettings, RefusesAnUnusableConfiguration) {
    Dhcpv4ClientSettings settings;
    settings.max_transmissions = 0;
    EXPECT_FALSE(Dhcpv4Client::validate(settings));
}

}  // namespace
