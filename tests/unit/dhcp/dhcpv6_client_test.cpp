#include "dhcp/dhcpv6_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "dhcp/acs_discovery.hpp"
#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dhcpv6_vendor_options.hpp"
#include "dhcp/vendor_options.hpp"
#include "dhcpv6_client_fakes.hpp"

namespace {

using namespace agent::dhcp;
using dhcp_test::FakeV6Transport;
using dhcp_test::ManualEnvironment;
using dhcp_test::SentV6Packet;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Bytes kClientDuid = make_duid_ll({0x02, 0, 0, 0, 0, 0x01});
const Bytes kServerDuid = make_duid_ll({0x02, 0, 0, 0, 0, 0xaa});
const Bytes kOtherServerDuid = make_duid_ll({0x02, 0, 0, 0, 0, 0xbb});
const address_v6 kAddress = boost::asio::ip::make_address_v6("fd00:231::10");
const address_v6 kOtherAddress = boost::asio::ip::make_address_v6("fd00:231::20");
const address_v6 kDns = boost::asio::ip::make_address_v6("fd00:231::1");
const address_v6 kServerUnicast = boost::asio::ip::make_address_v6("fd00:231::1");
const std::string kAcsUrl = "http://[fd00:231::1]:7547/acs";

void put_u16(Bytes& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

void put_u32(Bytes& out, std::uint32_t value) {
    put_u16(out, static_cast<std::uint16_t>(value >> 16));
    put_u16(out, static_cast<std::uint16_t>(value));
}

Bytes status_option(Dhcpv6Status code, const std::string& text) {
    Bytes data;
    put_u16(data, static_cast<std::uint16_t>(code));
    data.insert(data.end(), text.begin(), text.end());
    return data;
}

// What a server puts in its ADVERTISE or REPLY; the defaults grant kAddress.
struct ServerSpec {
    Dhcpv6MessageType type = Dhcpv6MessageType::Reply;
    std::uint32_t transaction_id = 0;
    Bytes client_duid = kClientDuid;
    Bytes server_duid = kServerDuid;
    std::vector<address_v6> addresses{kAddress};
    std::uint32_t t1 = 1000;
    std::uint32_t t2 = 1600;
    std::uint32_t preferred = 1800;
    std::uint32_t valid = 2000;
    std::optional<std::uint8_t> preference;
    std::optional<Dhcpv6Status> status;
    std::optional<Dhcpv6Status> ia_status;
    std::optional<address_v6> server_unicast;
    bool include_ia = true;
    bool vendor_acs = true;
};

Bytes server_message(const ServerSpec& spec) {
    Dhcpv6Message message;
    message.type = spec.type;
    message.transaction_id = spec.transaction_id;
    message.options.push_back({dhcpv6_option::kClientId, spec.client_duid});
    message.options.push_back({dhcpv6_option::kServerId, spec.server_duid});
    if (spec.preference)
        message.options.push_back({dhcpv6_option::kPreference, {*spec.preference}});
    if (spec.status) {
        message.options.push_back({dhcpv6_option::kStatusCode, status_option(*spec.status, "no")});
    }
    if (spec.server_unicast) {
        const auto bytes = spec.server_unicast->to_bytes();
        message.options.push_back({12, Bytes(bytes.begin(), bytes.end())});
    }
    if (spec.include_ia) {
        std::vector<Dhcpv6Option> nested;
        for (const auto& address : spec.addresses) {
            Bytes iaaddr;
            const auto bytes = address.to_bytes();
            iaaddr.insert(iaaddr.end(), bytes.begin(), bytes.end());
            put_u32(iaaddr, spec.preferred);
            put_u32(iaaddr, spec.valid);
            nested.push_back({dhcpv6_option::kIaAddress, iaaddr});
        }
        if (spec.ia_status) {
            nested.push_back(
                {dhcpv6_option::kStatusCode, status_option(*spec.ia_status, "refused")});
        }
        Bytes ia;
        put_u32(ia, 1);
        put_u32(ia, spec.t1);
        put_u32(ia, spec.t2);
        auto encoded = encode_dhcpv6_options(nested);
        if (!encoded) throw std::logic_error(encoded.error().message);
        ia.insert(ia.end(), encoded->begin(), encoded->end());
        message.options.push_back({dhcpv6_option::kIaNa, ia});
    }
    const auto dns = kDns.to_bytes();
    message.options.push_back({dhcpv6_option::kDnsServers, Bytes(dns.begin(), dns.end())});
    if (spec.vendor_acs) {
        auto vendor = encode_dhcpv6_vendor_options(Dhcpv6VendorOptions{
            kBroadbandForumEnterprise, {{1, Bytes(kAcsUrl.begin(), kAcsUrl.end())}}});
        if (!vendor) throw std::logic_error(vendor.error().message);
        message.options.push_back({dhcpv6_option::kVendorOptions, *vendor});
    }
    auto encoded = encode_dhcpv6(message);
    if (!encoded) throw std::logic_error(encoded.error().message);
    return *encoded;
}

std::optional<Bytes> option_of(const Dhcpv6Message& message, std::uint16_t code) {
    const Bytes* data = message.find(code);
    if (data == nullptr) return std::nullopt;
    return *data;
}

// The addresses in the IA_NA the client sent.
std::vector<address_v6> ia_addresses(const Dhcpv6Message& message) {
    std::vector<address_v6> addresses;
    const Bytes* ia = message.find(dhcpv6_option::kIaNa);
    if (ia == nullptr || ia->size() < 12) return addresses;
    auto nested =
        decode_dhcpv6_options(std::span<const std::uint8_t>(*ia).subspan(12), "test IA_NA");
    if (!nested) return addresses;
    for (const auto& option : *nested) {
        if (option.code != dhcpv6_option::kIaAddress || option.data.size() < 16) continue;
        address_v6::bytes_type bytes{};
        std::copy_n(option.data.begin(), 16, bytes.begin());
        addresses.emplace_back(bytes);
    }
    return addresses;
}

std::uint16_t elapsed_of(const Dhcpv6Message& message) {
    const Bytes* data = message.find(dhcpv6_option::kElapsedTime);
    if (data == nullptr || data->size() != 2) return 0xffff;
    return static_cast<std::uint16_t>((*data)[0] << 8 | (*data)[1]);
}

class Dhcpv6ClientTest : public ::testing::Test {
protected:
    Dhcpv6ClientTest() {
        settings.identity.duid = kClientDuid;
        settings.solicit_max_delay = milliseconds(0);
    }

    void make_client() {
        client = std::make_unique<Dhcpv6Client>(
            settings, transport, environment,
            [this](const Dhcpv6ClientEvent& event) { events.push_back(event); });
    }

    void start() {
        make_client();
        client->start();
        environment.advance(milliseconds(0));
    }

    const SentV6Packet& last() const {
        if (transport.sent.empty()) throw std::logic_error("nothing sent");
        return transport.sent.back();
    }

    std::uint32_t last_xid() const { return last().message.transaction_id; }

    void deliver(ServerSpec spec) {
        if (spec.transaction_id == 0) spec.transaction_id = last_xid();
        transport.deliver(server_message(spec));
    }

    // SOLICIT → ADVERTISE (preference 255) → REQUEST → REPLY.
    void bind(ServerSpec reply = {}) {
        start();
        deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
        ASSERT_EQ(last().message.type, Dhcpv6MessageType::Request);
        deliver(reply);
        ASSERT_EQ(client->state(), Dhcpv6ClientState::Bound);
    }

    Dhcpv6ClientSettings settings;
    ManualEnvironment environment;
    FakeV6Transport transport{environment};
    std::vector<Dhcpv6ClientEvent> events;
    std::unique_ptr<Dhcpv6Client> client;
};

TEST_F(Dhcpv6ClientTest, SolicitCarriesTr069VendorClassAndOptionRequest) {
    start();
    ASSERT_EQ(transport.sent.size(), 1U);
    const auto& solicit = last();
    EXPECT_EQ(solicit.message.type, Dhcpv6MessageType::Solicit);
    EXPECT_FALSE(solicit.unicast_to.has_value());
    EXPECT_LE(solicit.message.transaction_id, 0xffffffU);
    EXPECT_EQ(option_of(solicit.message, dhcpv6_option::kClientId), kClientDuid);
    EXPECT_EQ(option_of(solicit.message, dhcpv6_option::kOptionRequest),
              (Bytes{0, 17, 0, 23, 0, 56}));
    auto vendor_class = decode_dhcpv6_vendor_class(*solicit.message.find(16));
    ASSERT_TRUE(vendor_class);
    EXPECT_EQ(vendor_class->enterprise, 3561U);
    EXPECT_EQ(vendor_class->classes, std::vector<std::string>{"dslforum.org"});
    EXPECT_EQ(elapsed_of(solicit.message), 0);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
}

TEST_F(Dhcpv6ClientTest, StartWaitsARandomDelayOfAtMostSolMaxDelay) {
    settings.solicit_max_delay = seconds(1);
    environment.random_value = 400;
    make_client();
    client->start();
    environment.advance(milliseconds(399));
    EXPECT_TRUE(transport.sent.empty());
    environment.advance(milliseconds(1));
    EXPECT_EQ(transport.sent.size(), 1U);
}

TEST_F(Dhcpv6ClientTest, CollectsAdvertisesUntilFirstRtAndRequestsTheMostPreferred) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise,
             .server_duid = kOtherServerDuid,
             .addresses = {kOtherAddress},
             .preference = 10});
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 50});
    deliver({.type = Dhcpv6MessageType::Advertise,
             .server_duid = make_duid_ll({2, 0, 0, 0, 0, 3}),
             .preference = 20});
    EXPECT_EQ(transport.sent.size(), 1U) << "still collecting";
    // First RT of SOLICIT: IRT 1 s plus a non-negative RAND (+0.05 here).
    environment.advance(milliseconds(1049));
    EXPECT_EQ(transport.sent.size(), 1U);
    environment.advance(milliseconds(1));
    ASSERT_EQ(transport.sent.size(), 2U);
    const auto& request = last().message;
    EXPECT_EQ(request.type, Dhcpv6MessageType::Request);
    EXPECT_EQ(option_of(request, dhcpv6_option::kServerId), kServerDuid);
    EXPECT_EQ(ia_addresses(request), std::vector<address_v6>{kAddress});
    EXPECT_EQ(elapsed_of(request), 0) << "a new exchange";
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Requesting);
}

TEST_F(Dhcpv6ClientTest, Preference255IsTakenAtOnce) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
    ASSERT_EQ(transport.sent.size(), 2U);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Request);
}

TEST_F(Dhcpv6ClientTest, AnAdvertiseAfterTheFirstRtIsTakenAtOnce) {
    start();
    environment.advance(seconds(2));
    ASSERT_EQ(transport.sent.size(), 2U) << "SOLICIT retransmitted";
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 0});
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Request);
}

TEST_F(Dhcpv6ClientTest, AdvertiseWithoutAddressesIsIgnored) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise,
             .addresses = {},
             .preference = 255,
             .ia_status = Dhcpv6Status::NoAddrsAvail});
    deliver({.type = Dhcpv6MessageType::Advertise,
             .preference = 255,
             .status = Dhcpv6Status::NoAddrsAvail,
             .include_ia = false});
    EXPECT_EQ(transport.sent.size(), 1U);
    EXPECT_EQ(client->dropped_packets(), 2U);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
}

TEST_F(Dhcpv6ClientTest, DropsWrongTransactionClientOrMessageType) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise,
             .transaction_id = (last_xid() + 1) & 0xffffff,
             .preference = 255});
    deliver({.type = Dhcpv6MessageType::Advertise,
             .client_duid = make_duid_ll({2, 9, 9, 9, 9, 9}),
             .preference = 255});
    deliver({.type = Dhcpv6MessageType::Reply, .preference = 255});  // no rapid commit asked
    transport.deliver(Bytes{2, 0});                                  // truncated
    EXPECT_EQ(client->dropped_packets(), 4U);
    EXPECT_EQ(transport.sent.size(), 1U);
}

TEST_F(Dhcpv6ClientTest, SolicitRetransmissionDoublesWithinMrt) {
    settings.solicit.maximum = seconds(5);
    start();
    environment.advance(seconds(30));
    std::vector<std::int64_t> gaps;
    for (std::size_t i = 1; i < transport.sent.size() && i < 6; ++i) {
        gaps.push_back(std::chrono::duration_cast<milliseconds>(transport.sent[i].at -
                                                                transport.sent[i - 1].at)
                           .count());
    }
    // RAND is 0 except the first SOLICIT's, which is kept non-negative (+0.05).
    EXPECT_EQ(gaps, (std::vector<std::int64_t>{1050, 2100, 4200, 5000, 5000}));
    for (std::size_t i = 1; i < transport.sent.size(); ++i) {
        EXPECT_EQ(transport.sent[i].message.transaction_id,
                  transport.sent[0].message.transaction_id);
    }
    EXPECT_EQ(elapsed_of(transport.sent[1].message), 105) << "centiseconds";
}

TEST_F(Dhcpv6ClientTest, RetransmissionRandomisationStaysWithinTenPercent) {
    environment.random_value = 0;  // RAND = -0.1 (0 for the first SOLICIT)
    start();
    environment.advance(milliseconds(1000));
    ASSERT_EQ(transport.sent.size(), 2U);
    environment.advance(milliseconds(1899));
    EXPECT_EQ(transport.sent.size(), 2U);
    environment.advance(milliseconds(1));  // 2 × 1000 − 0.1 × 1000
    EXPECT_EQ(transport.sent.size(), 3U);
}

TEST_F(Dhcpv6ClientTest, RequestGivesUpAfterMrcAndSolicitsAgainAfterTheRestartDelay) {
    start();
    const std::size_t before = transport.sent.size();
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
    // REQ_TIMEOUT 1 s doubling up to REQ_MAX_RT 30 s: the 10th (REQ_MAX_RC)
    // at 1+2+4+8+16+30×4 = 151 s, given up one RT (30 s) later.
    environment.advance(seconds(150));
    EXPECT_EQ(transport.sent.size() - before, 9U);
    environment.advance(seconds(1));
    EXPECT_EQ(transport.sent.size() - before, 10U);
    environment.advance(seconds(29));
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Requesting);
    environment.advance(seconds(1));
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
    EXPECT_EQ(transport.sent.size() - before, 10U);
    environment.advance(settings.restart_delay);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Solicit);
}

TEST_F(Dhcpv6ClientTest, ReplyBindsAndReportsTheLeaseWithDnsAndTheAcsOption) {
    bind();
    ASSERT_EQ(events.size(), 1U);
    const auto& event = events[0];
    EXPECT_EQ(event.kind, Dhcpv6ClientEventKind::Acquired);
    ASSERT_EQ(event.lease.addresses.size(), 1U);
    EXPECT_EQ(event.lease.addresses[0].address, kAddress);
    EXPECT_EQ(event.lease.dns_servers, std::vector<address_v6>{kDns});
    auto acs = parse_acs_dhcpv6(event.reply);
    ASSERT_TRUE(acs);
    ASSERT_TRUE(acs->has_value());
    EXPECT_EQ((*acs)->url, kAcsUrl);
    EXPECT_EQ(client->lease_time_remaining(), 2000);
    environment.advance(seconds(500));
    EXPECT_EQ(client->lease_time_remaining(), 1500);
}

TEST_F(Dhcpv6ClientTest, ReplyFromAnotherServerThanTheRequestedIsDropped) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
    deliver({.server_duid = kOtherServerDuid});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Requesting);
    EXPECT_EQ(client->dropped_packets(), 1U);
}

TEST_F(Dhcpv6ClientTest, NoAddrsAvailInReplyToRequestSolicitsAgainAfterTheRestartDelay) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
    deliver({.addresses = {}, .ia_status = Dhcpv6Status::NoAddrsAvail});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
    EXPECT_TRUE(events.empty());
    const std::size_t before = transport.sent.size();
    environment.advance(settings.restart_delay - milliseconds(1));
    EXPECT_EQ(transport.sent.size(), before);
    environment.advance(milliseconds(1));
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Solicit);
}

TEST_F(Dhcpv6ClientTest, UnspecFailIsRetriedByTheRetransmissionTimer) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
    const std::size_t before = transport.sent.size();
    deliver({.status = Dhcpv6Status::UnspecFail});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Requesting);
    EXPECT_EQ(transport.sent.size(), before);
    environment.advance(seconds(1));
    EXPECT_EQ(transport.sent.size(), before + 1);
}

TEST_F(Dhcpv6ClientTest, UnicastOptionIsUsedUntilTheServerAsksForMulticast) {
    start();
    deliver({.type = Dhcpv6MessageType::Advertise,
             .preference = 255,
             .server_unicast = kServerUnicast});
    ASSERT_EQ(last().message.type, Dhcpv6MessageType::Request);
    EXPECT_EQ(last().unicast_to, kServerUnicast);
    const auto xid = last_xid();
    deliver({.status = Dhcpv6Status::UseMulticast, .include_ia = false});
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Request);
    EXPECT_FALSE(last().unicast_to.has_value());
    EXPECT_EQ(last_xid(), xid);
    deliver({});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Bound);
}

TEST_F(Dhcpv6ClientTest, RenewsAtT1ToTheServerRebindsAtT2AndLosesTheLeaseAtExpiry) {
    bind({.t1 = 100, .t2 = 160, .preferred = 180, .valid = 200});
    const std::size_t bound_at = transport.sent.size();
    environment.advance(seconds(99));
    EXPECT_EQ(transport.sent.size(), bound_at);
    environment.advance(seconds(1));
    ASSERT_EQ(transport.sent.size(), bound_at + 1);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Renew);
    EXPECT_EQ(option_of(last().message, dhcpv6_option::kServerId), kServerDuid);
    EXPECT_EQ(ia_addresses(last().message), std::vector<address_v6>{kAddress});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Renewing);
    // REN_TIMEOUT 10 s, then 20 s, then 40 s cut at T2.
    environment.advance(seconds(10));
    EXPECT_EQ(transport.sent.size(), bound_at + 2);
    EXPECT_EQ(elapsed_of(last().message), 1000);
    environment.advance(seconds(49));
    EXPECT_EQ(transport.sent.size(), bound_at + 3);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Renew);
    environment.advance(seconds(1));  // T2
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Rebinding);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Rebind);
    EXPECT_FALSE(last().message.find(dhcpv6_option::kServerId));
    EXPECT_FALSE(last().unicast_to.has_value());
    environment.advance(seconds(40));  // valid lifetime ends
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].kind, Dhcpv6ClientEventKind::Lost);
    EXPECT_EQ(events[1].lease.addresses.at(0).address, kAddress);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
    EXPECT_FALSE(client->lease());
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Solicit);
}

TEST_F(Dhcpv6ClientTest, RenewReplyExtendsTheLease) {
    bind({.t1 = 100, .t2 = 160, .preferred = 180, .valid = 200});
    environment.advance(seconds(100));
    deliver({.t1 = 100, .t2 = 160, .preferred = 180, .valid = 200});
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].kind, Dhcpv6ClientEventKind::Renewed);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Bound);
    EXPECT_EQ(client->lease_time_remaining(), 200);
}

TEST_F(Dhcpv6ClientTest, RenewReplyFromAnotherServerIsDroppedButRebindAcceptsAnyServer) {
    bind({.t1 = 100, .t2 = 160, .preferred = 180, .valid = 200});
    environment.advance(seconds(100));
    deliver({.server_duid = kOtherServerDuid});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Renewing);
    environment.advance(seconds(60));
    ASSERT_EQ(client->state(), Dhcpv6ClientState::Rebinding);
    deliver({.server_duid = kOtherServerDuid, .addresses = {kOtherAddress}});
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].kind, Dhcpv6ClientEventKind::AddressChanged);
    EXPECT_EQ(events[1].previous_address, kAddress);
    EXPECT_EQ(client->lease()->server_duid, kOtherServerDuid);
}

TEST_F(Dhcpv6ClientTest, NoBindingInReplyToRenewSendsARequest) {
    bind({.t1 = 100, .t2 = 160, .preferred = 180, .valid = 200});
    environment.advance(seconds(100));
    deliver({.addresses = {}, .ia_status = Dhcpv6Status::NoBinding});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Requesting);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Request);
    EXPECT_EQ(option_of(last().message, dhcpv6_option::kServerId), kServerDuid);
    EXPECT_EQ(ia_addresses(last().message), std::vector<address_v6>{kAddress});
    deliver({});
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].kind, Dhcpv6ClientEventKind::Renewed);
}

TEST_F(Dhcpv6ClientTest, RenewReplyWithdrawingEveryAddressLosesTheLease) {
    bind({.t1 = 100, .t2 = 160, .preferred = 180, .valid = 200});
    environment.advance(seconds(100));
    deliver({.preferred = 0, .valid = 0});
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].kind, Dhcpv6ClientEventKind::Lost);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
}

TEST_F(Dhcpv6ClientTest, ZeroLifetimesAndTimesDoNotMakeItRenewAtOnce) {
    bind({.t1 = 0, .t2 = 0, .preferred = 0, .valid = 100});
    EXPECT_EQ(events.at(0).lease.renewal_time, 50U);
    EXPECT_EQ(events.at(0).lease.rebinding_time, 80U);
    const std::size_t sent = transport.sent.size();
    environment.advance(seconds(49));
    EXPECT_EQ(transport.sent.size(), sent);
    environment.advance(seconds(1));
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Renew);
}

TEST_F(Dhcpv6ClientTest, InfiniteLeaseHasNoTimers) {
    bind({.t1 = kDhcpv6Infinity,
          .t2 = kDhcpv6Infinity,
          .preferred = kDhcpv6Infinity,
          .valid = kDhcpv6Infinity});
    EXPECT_EQ(client->lease_time_remaining(), -1);
    EXPECT_EQ(environment.running_timers(), 0U);
}

TEST_F(Dhcpv6ClientTest, RenewNowOnlyWhenBound) {
    bind();
    client->renew();
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Renewing);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Renew);
    const std::size_t sent = transport.sent.size();
    client->renew();
    EXPECT_EQ(transport.sent.size(), sent);
}

TEST_F(Dhcpv6ClientTest, StopReleasesTheLeaseToItsServer) {
    bind();
    client->stop();
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Release);
    EXPECT_EQ(option_of(last().message, dhcpv6_option::kServerId), kServerDuid);
    EXPECT_EQ(ia_addresses(last().message), std::vector<address_v6>{kAddress});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Stopped);
    EXPECT_FALSE(transport.is_open());
    EXPECT_EQ(environment.running_timers(), 0U);
    EXPECT_EQ(events.size(), 1U) << "no event on stop";
}

TEST_F(Dhcpv6ClientTest, TheEventHandlerMayStopTheClient) {
    client = std::make_unique<Dhcpv6Client>(settings, transport, environment,
                                            [this](const Dhcpv6ClientEvent& event) {
                                                events.push_back(event);
                                                client->stop();
                                            });
    client->start();
    environment.advance(milliseconds(0));
    deliver({.type = Dhcpv6MessageType::Advertise, .preference = 255});
    deliver({});
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Stopped);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Release);
    EXPECT_EQ(environment.running_timers(), 0U);
}

TEST_F(Dhcpv6ClientTest, StopWithoutLeaseSendsNothing) {
    start();
    client->stop();
    EXPECT_EQ(transport.sent.size(), 1U);
    EXPECT_EQ(environment.running_timers(), 0U);
}

TEST_F(Dhcpv6ClientTest, DeclineReportsLostRetransmitsAndSolicitsAfterTheRestartDelay) {
    bind();
    client->decline("duplicate address detected");
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[1].kind, Dhcpv6ClientEventKind::Lost);
    EXPECT_NE(events[1].reason.find("duplicate address"), std::string::npos);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Decline);
    EXPECT_EQ(option_of(last().message, dhcpv6_option::kServerId), kServerDuid);
    EXPECT_EQ(ia_addresses(last().message), std::vector<address_v6>{kAddress});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Declining);
    environment.advance(seconds(1));
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Decline);
    deliver({.include_ia = false});
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
    const std::size_t sent = transport.sent.size();
    environment.advance(settings.restart_delay);
    EXPECT_EQ(transport.sent.size(), sent + 1);
    EXPECT_EQ(last().message.type, Dhcpv6MessageType::Solicit);
}

TEST_F(Dhcpv6ClientTest, DeclineWithoutReplyEndsAfterDecMaxRc) {
    bind();
    const std::size_t before = transport.sent.size();
    client->decline("in use");
    environment.advance(seconds(14));  // 1 + 2 + 4 + 8 − 1 for the fourth
    EXPECT_EQ(transport.sent.size() - before, 4U);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Declining);
    environment.advance(seconds(1));
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
}

TEST_F(Dhcpv6ClientTest, SocketFailureIsRetriedUntilTheLinkLocalAddressExists) {
    transport.fail_open = true;
    start();
    environment.advance(settings.open_retry_delay * 3);
    EXPECT_TRUE(transport.sent.empty());
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Soliciting);
    transport.fail_open = false;
    environment.advance(settings.open_retry_delay - milliseconds(1));
    EXPECT_TRUE(transport.sent.empty());
    environment.advance(milliseconds(1));
    EXPECT_EQ(transport.sent.size(), 1U);
}

TEST_F(Dhcpv6ClientTest, RapidCommitReplyToSolicitBindsWhenAsked) {
    settings.identity.rapid_commit = true;
    start();
    EXPECT_TRUE(last().message.find(dhcpv6_option::kRapidCommit));
    auto decoded = decode_dhcpv6(server_message({.transaction_id = last_xid()}));
    ASSERT_TRUE(decoded);
    decoded->options.push_back({dhcpv6_option::kRapidCommit, {}});
    auto encoded = encode_dhcpv6(*decoded);
    ASSERT_TRUE(encoded);
    transport.deliver(*encoded);
    EXPECT_EQ(client->state(), Dhcpv6ClientState::Bound);
}

TEST(Dhcpv6ClientSettingsTest, ValidateRefusesUnusableSettings) {
    Dhcpv6ClientSettings settings;
    settings.identity.duid = kClientDuid;
    EXPECT_TRUE(Dhcpv6Client::validate(settings));
    auto broken = settings;
    broken.identity.duid.clear();
    EXPECT_FALSE(Dhcpv6Client::validate(broken));
    broken = settings;
    broken.request.initial = milliseconds(0);
    EXPECT_FALSE(Dhcpv6Client::validate(broken));
    broken = settings;
    broken.renew.maximum = milliseconds(5);
    EXPECT_FALSE(Dhcpv6Client::validate(broken));
    broken = settings;
    broken.open_retry_delay = milliseconds(0);
    EXPECT_FALSE(Dhcpv6Client::validate(broken));
    broken = settings;
    broken.identity.iaid = 0;
    EXPECT_FALSE(Dhcpv6Client::validate(broken));
}

}  // namespace
