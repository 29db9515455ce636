// The SIP endpoint on loopback sockets: UAS behaviour over UDP and TCP,
// rebinding on a new configuration, the restricted access domains and the
// three InboundAuth modes.
#include "sip/sip_endpoint.hpp"

#include <gtest/gtest.h>

#include "../agent/io_loop.hpp"
#include "../agent/log_capture.hpp"
#include "cwmp/http_digest.hpp"
#include "fake_address_resolver.hpp"
#include "sip/name_address.hpp"
#include "sip_test_peer.hpp"

namespace agent::sip {
namespace {

using test::sip_request;
using test::status_of;

const std::string kOffer =
    "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 6000 RTP/AVP 0\r\n";
const std::string kSdpType = "Content-Type: application/sdp\r\n";

class SipEndpointTest : public ::testing::Test {
protected:
    explicit SipEndpointTest(UserAgentSettings user_agent = {})
        : resolver(io), endpoint(io, resolver, user_agent) {
        settings.enabled = true;
        settings.bind_address = boost::asio::ip::make_address("127.0.0.1");
        settings.port = 0;
        resolver.set("allowed.example.test", {"127.0.0.1"});
        resolver.set("other.example.test", {"127.0.0.2"});
        resolver.set("proxy.example.test", {"127.0.0.3"});
    }

    void apply() {
        ASSERT_TRUE(endpoint.configure(settings));
        ASSERT_TRUE(agent::testing::run_until(io, [this] { return endpoint.filters_settled(); }));
    }

    std::string to_tag_of(const SipMessage& response) {
        return parse_name_address(*response.header("To"))->tag();
    }

    boost::asio::io_context io;
    test::FakeAddressResolver resolver;
    SipEndpoint endpoint;
    EndpointSettings settings;
};

TEST_F(SipEndpointTest, OptionsIsAnswered200WithReceivedAndRport) {
    apply();
    EXPECT_EQ(endpoint.status(), SipEndpoint::Status::Up);
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(), sip_request("OPTIONS", "o1", "opt1", peer.port()));
    auto response = peer.next();
    ASSERT_EQ(status_of(response), 200);
    EXPECT_NE(response->header("Via")->find("rport=" + std::to_string(peer.port())),
              std::string::npos);
    EXPECT_TRUE(response->header("Allow").has_value());
    EXPECT_EQ(endpoint.counters().requests_received, 1u);
}

TEST_F(SipEndpointTest, InviteIsAnsweredAcknowledgedAndEndedByBye) {
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "i1", "call1", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    EXPECT_EQ(status_of(peer.next()), 100);
    auto ringing = peer.next();
    ASSERT_EQ(status_of(ringing), 180);
    auto ok = peer.next();
    ASSERT_EQ(status_of(ok), 200);
    EXPECT_EQ(*ok->header("Content-Type"), "application/sdp");
    EXPECT_NE(ok->body.find("m=audio"), std::string::npos);
    EXPECT_TRUE(ok->header("Contact").has_value());
    const auto tag = to_tag_of(*ok);
    EXPECT_EQ(tag, to_tag_of(*ringing));
    EXPECT_EQ(endpoint.dialog_count(), 1u);

    // A retransmitted INVITE is absorbed: no second call.
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "i1", "call1", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    peer.send(endpoint.local_port(), sip_request("ACK", "a1", "call1", peer.port(), "UDP", tag, 1));
    peer.send(endpoint.local_port(), sip_request("BYE", "b1", "call1", peer.port(), "UDP", tag, 2));
    std::optional<SipMessage> bye_ok;
    for (int i = 0; i < 5 && !bye_ok; ++i) {
        auto next = peer.next();
        if (!next) break;
        if (next->header("CSeq")->find("BYE") != std::string::npos) bye_ok = next;
    }
    ASSERT_EQ(status_of(bye_ok), 200);
    EXPECT_EQ(endpoint.dialog_count(), 0u);
    EXPECT_EQ(endpoint.counters().calls_answered, 1u);
    EXPECT_EQ(endpoint.counters().calls_ended, 1u);
}

TEST_F(SipEndpointTest, TheAnswerIsRetransmittedUntilAcked) {
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "i2", "call2", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    int oks = 0;
    for (int i = 0; i < 6 && oks < 2; ++i) {
        if (status_of(peer.next()) == 200) ++oks;
    }
    EXPECT_EQ(oks, 2) << "the 2xx is retransmitted after T1 while no ACK came";
}

TEST_F(SipEndpointTest, ByeOutsideADialogGets481AndOtherMethods405) {
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(),
              sip_request("BYE", "b2", "nocall", peer.port(), "UDP", "x", 2));
    EXPECT_EQ(status_of(peer.next()), 481);
    peer.send(endpoint.local_port(), sip_request("SUBSCRIBE", "s1", "sub", peer.port()));
    EXPECT_EQ(status_of(peer.next()), 405);
}

TEST_F(SipEndpointTest, GarbageIsCountedAndDropped) {
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(), "NOT SIP AT ALL\r\n\r\n");
    peer.send(endpoint.local_port(), sip_request("OPTIONS", "o9", "opt9", peer.port()));
    EXPECT_EQ(status_of(peer.next()), 200);
    EXPECT_EQ(endpoint.counters().malformed_dropped, 1u);
}

class SipEndpointRingingTest : public SipEndpointTest {
protected:
    static UserAgentSettings ringing() {
        UserAgentSettings settings;
        settings.answer_delay = std::chrono::seconds(30);
        return settings;
    }
    SipEndpointRingingTest() : SipEndpointTest(ringing()) {}
};

TEST_F(SipEndpointRingingTest, CancelGets200AndTheInvite487) {
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "i3", "call3", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    EXPECT_EQ(status_of(peer.next()), 100);
    EXPECT_EQ(status_of(peer.next()), 180);
    peer.send(endpoint.local_port(),
              sip_request("CANCEL", "i3", "call3", peer.port(), "UDP", "", 1));
    std::vector<int> statuses;
    for (int i = 0; i < 2; ++i) {
        auto next = peer.next();
        ASSERT_TRUE(next);
        statuses.push_back(status_of(next));
    }
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<int>{200, 487}));
    EXPECT_EQ(endpoint.dialog_count(), 0u);
    EXPECT_EQ(endpoint.counters().calls_cancelled, 1u);
}

TEST_F(SipEndpointTest, TcpRequestsAreAnsweredOnTheirConnection) {
    settings.transport = TransportKind::Tcp;
    apply();
    test::TcpPeer peer(io, endpoint.local_port());
    peer.send("\r\n\r\n" + sip_request("OPTIONS", "t1", "tcp1", peer.port(), "TCP"));
    EXPECT_EQ(status_of(peer.next()), 200);
    peer.send(sip_request("INVITE", "t2", "tcp2", peer.port(), "TCP", "", 1, kSdpType, kOffer));
    EXPECT_EQ(status_of(peer.next()), 100);
    EXPECT_EQ(status_of(peer.next()), 180);
    EXPECT_EQ(status_of(peer.next()), 200);
    EXPECT_EQ(endpoint.connection_count(), 1u);
}

TEST_F(SipEndpointTest, ATcpStreamWithoutContentLengthIsClosed) {
    settings.transport = TransportKind::Tcp;
    apply();
    test::TcpPeer peer(io, endpoint.local_port());
    auto text = sip_request("OPTIONS", "t3", "tcp3", peer.port(), "TCP");
    text.replace(text.find("Content-Length: 0\r\n"), 19, "");
    peer.send(text);
    EXPECT_FALSE(peer.next(std::chrono::seconds(3)));
    EXPECT_TRUE(peer.closed());
}

TEST_F(SipEndpointTest, SwitchingTransportRebindsTheListener) {
    apply();
    const auto udp_port = endpoint.local_port();
    settings.transport = TransportKind::Tcp;
    apply();
    EXPECT_EQ(endpoint.transport(), TransportKind::Tcp);
    test::UdpPeer udp(io);
    udp.send(udp_port, sip_request("OPTIONS", "s1", "sw1", udp.port()));
    EXPECT_FALSE(udp.next(std::chrono::milliseconds(300))) << "UDP is closed after the switch";
    test::TcpPeer tcp(io, endpoint.local_port());
    tcp.send(sip_request("OPTIONS", "s2", "sw2", tcp.port(), "TCP"));
    EXPECT_EQ(status_of(tcp.next()), 200);

    settings.enabled = false;
    apply();
    EXPECT_EQ(endpoint.status(), SipEndpoint::Status::Disabled);
    EXPECT_EQ(endpoint.local_port(), 0);
}

TEST_F(SipEndpointTest, TlsWithoutCertificateIsAnErrorNotADowngrade) {
    settings.transport = TransportKind::Tls;
    EXPECT_FALSE(endpoint.configure(settings));
    EXPECT_EQ(endpoint.status(), SipEndpoint::Status::Error);
    EXPECT_NE(endpoint.last_error().find("certificate"), std::string::npos);
    EXPECT_EQ(endpoint.local_port(), 0);
}

TEST_F(SipEndpointTest, RestrictedDomainsDropOtherSourcesSilently) {
    agent::testing::LogCapture log;
    settings.restricted_domains = {"other.example.test"};
    apply();
    test::UdpPeer peer(io, "127.0.0.1");
    peer.send(endpoint.local_port(), sip_request("OPTIONS", "r1", "res1", peer.port()));
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "r2", "res2", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    for (int i = 0; i < 8; ++i) {
        peer.send(endpoint.local_port(),
                  sip_request("OPTIONS", "rf" + std::to_string(i), "resf", peer.port()));
    }
    EXPECT_FALSE(peer.next(std::chrono::milliseconds(300)));
    EXPECT_EQ(endpoint.counters().restricted_dropped, 10u);
    // Anyone can send these: one log line per 10 s, not one per request.
    EXPECT_EQ(log.count("dropped: not a restricted access domain address"), 1u) << log.text();

    test::UdpPeer allowed(io, "127.0.0.2");
    allowed.send(endpoint.local_port(), sip_request("OPTIONS", "r3", "res3", allowed.port()));
    EXPECT_EQ(status_of(allowed.next()), 200);
}

TEST_F(SipEndpointTest, UnresolvableDomainsKeepTheFilterClosed) {
    settings.restricted_domains = {"missing.example.test"};
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(), sip_request("OPTIONS", "r4", "res4", peer.port()));
    EXPECT_FALSE(peer.next(std::chrono::milliseconds(300)));
    EXPECT_EQ(endpoint.counters().restricted_dropped, 1u);
}

TEST_F(SipEndpointTest, AcceptedDialogsSurviveANarrowerDomainList) {
    settings.restricted_domains = {"allowed.example.test"};
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "d1", "dlg1", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    std::optional<SipMessage> ok;
    for (int i = 0; i < 3 && status_of(ok) != 200; ++i) ok = peer.next();
    ASSERT_EQ(status_of(ok), 200);
    const auto tag = to_tag_of(*ok);
    peer.send(endpoint.local_port(), sip_request("ACK", "d2", "dlg1", peer.port(), "UDP", tag, 1));

    settings.restricted_domains = {"other.example.test"};
    apply();
    peer.send(endpoint.local_port(), sip_request("OPTIONS", "d3", "dlg-new", peer.port()));
    peer.send(endpoint.local_port(), sip_request("BYE", "d4", "dlg1", peer.port(), "UDP", tag, 2));
    auto bye_ok = peer.next();
    ASSERT_EQ(status_of(bye_ok), 200);
    EXPECT_NE(bye_ok->header("CSeq")->find("BYE"), std::string::npos);
    EXPECT_EQ(endpoint.counters().restricted_dropped, 1u);
}

TEST_F(SipEndpointTest, SourceFilterAdmitsOnlyTheProxy) {
    settings.inbound_auth = InboundAuthMode::SourceFilter;
    settings.proxy_server = "proxy.example.test";
    apply();
    test::UdpPeer stranger(io, "127.0.0.1");
    stranger.send(endpoint.local_port(), sip_request("OPTIONS", "f1", "sf1", stranger.port()));
    EXPECT_FALSE(stranger.next(std::chrono::milliseconds(300)));
    EXPECT_EQ(endpoint.counters().source_filter_dropped, 1u);
    test::UdpPeer proxy(io, "127.0.0.3");
    proxy.send(endpoint.local_port(), sip_request("OPTIONS", "f2", "sf2", proxy.port()));
    EXPECT_EQ(status_of(proxy.next()), 200);
}

TEST_F(SipEndpointTest, AuthInviteChallengesAndAdmitsOnlyTheRightPassword) {
    settings.inbound_auth = InboundAuthMode::Digest;
    settings.realm = "phone.test";
    settings.credentials = {"alice", "secret"};
    apply();
    test::UdpPeer peer(io);
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "g1", "auth1", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    auto challenge = peer.next();
    ASSERT_EQ(status_of(challenge), 401);
    ASSERT_EQ(challenge->header_count("WWW-Authenticate"), 2u);
    peer.send(endpoint.local_port(),
              sip_request("ACK", "g1", "auth1", peer.port(), "UDP", to_tag_of(*challenge), 1));
    auto parsed = cwmp::digest::parse_challenge(*challenge->header("WWW-Authenticate"));
    ASSERT_TRUE(parsed);

    auto invite_with = [&](const std::string& password, const std::string& branch,
                           std::uint32_t cseq) {
        auto credentials = cwmp::digest::answer_challenge(*parsed, "alice", password, "INVITE",
                                                          "sip:phone@127.0.0.1", cseq, "abc123");
        return sip_request(
            "INVITE", branch, "auth1", peer.port(), "UDP", "", cseq,
            kSdpType + "Authorization: " + cwmp::digest::format_credentials(*credentials) + "\r\n",
            kOffer);
    };
    peer.send(endpoint.local_port(), invite_with("wrong", "g2", 2));
    EXPECT_EQ(status_of(peer.next()), 403);
    peer.send(endpoint.local_port(), invite_with("secret", "g3", 3));
    EXPECT_EQ(status_of(peer.next()), 100);
    EXPECT_EQ(status_of(peer.next()), 180);
    EXPECT_EQ(status_of(peer.next()), 200);
    EXPECT_EQ(endpoint.counters().challenges_sent, 1u);
    EXPECT_EQ(endpoint.counters().auth_refused, 1u);

    // The same nonce count again is a replay.
    peer.send(endpoint.local_port(), invite_with("secret", "g4", 3));
    std::optional<SipMessage> refused;
    for (int i = 0; i < 4 && !refused; ++i) {
        auto next = peer.next();
        if (!next) break;
        if (status_of(next) == 403) refused = next;
    }
    EXPECT_EQ(status_of(refused), 403);

    settings.inbound_auth = InboundAuthMode::None;
    apply();
    peer.send(endpoint.local_port(),
              sip_request("INVITE", "g5", "auth2", peer.port(), "UDP", "", 1, kSdpType, kOffer));
    std::optional<SipMessage> first;
    for (int i = 0; i < 6; ++i) {
        auto next = peer.next();
        if (!next) break;
        if (next->header("Call-ID") == "auth2") {
            first = next;
            break;
        }
    }
    EXPECT_EQ(status_of(first), 100) << "Auth INVITE off: answered without a challenge";
}

}  // namespace
}  // namespace agent::sip
