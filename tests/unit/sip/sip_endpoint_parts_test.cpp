// The endpoint's building blocks without sockets: RFC 3261 §18.2 response
// routing, the resolved host sets behind the access policy, and Auth INVITE.
#include <gtest/gtest.h>

#include "../agent/io_loop.hpp"
#include "cwmp/http_digest.hpp"
#include "fake_address_resolver.hpp"
#include "sip/invite_authenticator.hpp"
#include "sip/message_parser.hpp"
#include "sip/resolved_host_set.hpp"
#include "sip/response_routing.hpp"
#include "sip_test_peer.hpp"

namespace agent::sip {
namespace {

using boost::asio::ip::make_address;

MessageOrigin udp_origin(const std::string& address, std::uint16_t port) {
    MessageOrigin origin;
    origin.transport = TransportKind::Udp;
    origin.address = make_address(address);
    origin.port = port;
    return origin;
}

Via top_via(const SipMessage& message) {
    return *parse_via(*message.header("Via"));
}

TEST(SipResponseRouting, RportGetsSourcePortAndReceived) {
    auto request = parse_sip_message(test::sip_request("OPTIONS", "a1", "c1", 5070));
    ASSERT_TRUE(request);
    ASSERT_TRUE(stamp_top_via(*request, udp_origin("127.0.0.7", 40000)));
    const auto via = top_via(*request);
    EXPECT_EQ(find_parameter(via.parameters, "received")->value, "127.0.0.7");
    EXPECT_EQ(find_parameter(via.parameters, "rport")->value, "40000");
    const auto destination = response_destination(via, udp_origin("127.0.0.7", 40000));
    EXPECT_EQ(destination.address, make_address("127.0.0.7"));
    EXPECT_EQ(destination.port, 40000);
}

TEST(SipResponseRouting, WithoutRportTheSentByPortIsUsed) {
    auto text = test::sip_request("OPTIONS", "a2", "c2", 5070);
    text.replace(text.find(";rport"), 6, "");
    auto request = parse_sip_message(text);
    ASSERT_TRUE(request);
    ASSERT_TRUE(stamp_top_via(*request, udp_origin("127.0.0.1", 40000)));
    const auto via = top_via(*request);
    // The sent-by host is the source: no received parameter (§18.2.1).
    EXPECT_EQ(find_parameter(via.parameters, "received"), nullptr);
    const auto destination = response_destination(via, udp_origin("127.0.0.1", 40000));
    EXPECT_EQ(destination.port, 5070);
}

TEST(SipResponseRouting, ReceivedIsAddedWhenSentByIsAName) {
    auto text = test::sip_request("OPTIONS", "a3", "c3", 5070);
    text.replace(text.find("127.0.0.1:5070"), 14, "caller.example:5070");
    text.replace(text.find(";rport"), 6, "");
    auto request = parse_sip_message(text);
    ASSERT_TRUE(request);
    ASSERT_TRUE(stamp_top_via(*request, udp_origin("127.0.0.9", 1234)));
    const auto via = top_via(*request);
    EXPECT_EQ(find_parameter(via.parameters, "received")->value, "127.0.0.9");
    const auto destination = response_destination(via, udp_origin("127.0.0.9", 1234));
    EXPECT_EQ(destination.address, make_address("127.0.0.9"));
    EXPECT_EQ(destination.port, 5070);
}

TEST(SipResponseRouting, StreamResponsesGoBackOverTheConnection) {
    auto request = parse_sip_message(test::sip_request("OPTIONS", "a4", "c4", 5070, "TCP"));
    ASSERT_TRUE(request);
    auto origin = udp_origin("127.0.0.1", 40001);
    origin.transport = TransportKind::Tcp;
    origin.connection_id = 17;
    const auto destination = response_destination(top_via(*request), origin);
    EXPECT_EQ(destination.transport, TransportKind::Tcp);
    EXPECT_EQ(destination.connection_id, 17u);
}

TEST(SipResolvedHostSet, ContainsOnlyResolvedAddressesUntilTheTtl) {
    boost::asio::io_context io;
    test::FakeAddressResolver resolver(io);
    resolver.set("proxy.example.test", {"127.0.0.1", "::ffff:127.0.0.5"}, std::chrono::seconds(30));
    ResolvedHostSet set(io, resolver, "test");
    set.set_hosts({"Proxy.Example.Test", "proxy.example.test"});
    EXPECT_FALSE(set.contains(make_address("127.0.0.1"))) << "closed before the answer";
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return set.settled(); }));
    EXPECT_EQ(resolver.lookups(), 1) << "names are deduplicated case-insensitively";
    EXPECT_TRUE(set.contains(make_address("127.0.0.1")));
    EXPECT_TRUE(set.contains(make_address("127.0.0.5"))) << "mapped addresses compare as IPv4";
    EXPECT_TRUE(set.contains(make_address("::ffff:127.0.0.1")));
    EXPECT_FALSE(set.contains(make_address("127.0.0.2")));
    const auto later = ResolvedHostSet::Clock::now() + std::chrono::seconds(31);
    EXPECT_FALSE(set.contains(make_address("127.0.0.1"), later))
        << "expired addresses stop counting";
}

TEST(SipResolvedHostSet, AFailedLookupKeepsTheSetClosed) {
    boost::asio::io_context io;
    test::FakeAddressResolver resolver(io);
    ResolvedHostSet set(io, resolver, "test");
    set.set_hosts({"missing.example.test"});
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return set.settled(); }));
    EXPECT_EQ(set.lookups_failed(), 1u);
    EXPECT_FALSE(set.contains(make_address("127.0.0.1")));
}

TEST(SipResolvedHostSet, NewNamesReplaceTheOldAddressesAtOnce) {
    boost::asio::io_context io;
    test::FakeAddressResolver resolver(io);
    resolver.set("a.example.test", {"127.0.0.1"});
    resolver.set("b.example.test", {"127.0.0.2"});
    ResolvedHostSet set(io, resolver, "test");
    set.set_hosts({"a.example.test"});
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return set.settled(); }));
    set.set_hosts({"b.example.test"});
    EXPECT_FALSE(set.contains(make_address("127.0.0.1")));
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return set.settled(); }));
    EXPECT_TRUE(set.contains(make_address("127.0.0.2")));
    EXPECT_FALSE(set.contains(make_address("127.0.0.1")));
}

class SipInviteAuthenticatorTest : public ::testing::Test {
protected:
    SipInviteAuthenticatorTest() { authenticator.configure("phone.test", {"alice", "secret"}); }

    SipMessage invite_with(const std::string& authorization) {
        const std::string extra =
            authorization.empty() ? "" : "Authorization: " + authorization + "\r\n";
        return *parse_sip_message(
            test::sip_request("INVITE", "i1", "call1", 5070, "UDP", "", 1, extra));
    }
    std::string answer(const AuthDecision& challenged, const std::string& password,
                       std::uint32_t nc = 1, std::size_t which = 0) {
        auto challenge = cwmp::digest::parse_challenge(challenged.challenges.at(which));
        EXPECT_TRUE(challenge);
        auto credentials = cwmp::digest::answer_challenge(*challenge, "alice", password, "INVITE",
                                                          "sip:phone@127.0.0.1", nc, "c0ffee");
        EXPECT_TRUE(credentials);
        return cwmp::digest::format_credentials(*credentials);
    }

    InviteAuthenticator authenticator{"phone.test"};
};

TEST_F(SipInviteAuthenticatorTest, ChallengesOfferMd5AndSha256WithQopAuth) {
    const auto decision = authenticator.check(invite_with(""));
    ASSERT_EQ(decision.kind, AuthDecision::Kind::Challenge);
    ASSERT_EQ(decision.challenges.size(), 2u);
    auto md5 = cwmp::digest::parse_challenge(decision.challenges[0]);
    auto sha = cwmp::digest::parse_challenge(decision.challenges[1]);
    ASSERT_TRUE(md5 && sha);
    EXPECT_EQ(md5->algorithm, cwmp::digest::Algorithm::Md5);
    EXPECT_EQ(sha->algorithm, cwmp::digest::Algorithm::Sha256);
    EXPECT_EQ(md5->realm, "phone.test");
    EXPECT_EQ(md5->qop, std::vector<std::string>{"auth"});
}

TEST_F(SipInviteAuthenticatorTest, RightAnswersPassInBothAlgorithms) {
    const auto decision = authenticator.check(invite_with(""));
    EXPECT_EQ(authenticator.check(invite_with(answer(decision, "secret", 1, 0))).kind,
              AuthDecision::Kind::Accept);
    EXPECT_EQ(authenticator.check(invite_with(answer(decision, "secret", 1, 1))).kind,
              AuthDecision::Kind::Accept);
}

TEST_F(SipInviteAuthenticatorTest, WrongPasswordAndReplayAreForbidden) {
    const auto decision = authenticator.check(invite_with(""));
    EXPECT_EQ(authenticator.check(invite_with(answer(decision, "wrong"))).kind,
              AuthDecision::Kind::Forbidden);
    const auto right = answer(decision, "secret");
    EXPECT_EQ(authenticator.check(invite_with(right)).kind, AuthDecision::Kind::Accept);
    const auto replay = authenticator.check(invite_with(right));
    EXPECT_EQ(replay.kind, AuthDecision::Kind::Forbidden);
    EXPECT_NE(replay.reason.find("alice"), std::string::npos);
}

TEST_F(SipInviteAuthenticatorTest, DigestUriMayNameTheHostWithoutUserButNothingElse) {
    const auto decision = authenticator.check(invite_with(""));
    auto challenge = cwmp::digest::parse_challenge(decision.challenges.at(0));
    auto answer_for = [&](const std::string& uri, std::uint32_t nc) {
        auto credentials = cwmp::digest::answer_challenge(*challenge, "alice", "secret", "INVITE",
                                                          uri, nc, "c0ffee");
        return cwmp::digest::format_credentials(*credentials);
    };
    // sipp's form: the called host, no user part.
    EXPECT_EQ(authenticator.check(invite_with(answer_for("sip:127.0.0.1", 1))).kind,
              AuthDecision::Kind::Accept);
    EXPECT_EQ(authenticator.check(invite_with(answer_for("sip:127.0.0.9", 2))).kind,
              AuthDecision::Kind::Forbidden);
    EXPECT_EQ(authenticator.check(invite_with(answer_for("sip:bob@127.0.0.1", 3))).kind,
              AuthDecision::Kind::Forbidden);
    EXPECT_EQ(authenticator.check(invite_with(answer_for("sip:127.0.0.1:5070", 4))).kind,
              AuthDecision::Kind::Forbidden);
}

TEST_F(SipInviteAuthenticatorTest, ForeignRealmIsChallengedAndGarbageForbidden) {
    EXPECT_EQ(authenticator
                  .check(invite_with("Digest username=\"alice\", realm=\"other\", nonce=\"n\", "
                                     "uri=\"sip:phone@127.0.0.1\", "
                                     "response=\"00\""))
                  .kind,
              AuthDecision::Kind::Challenge);
    EXPECT_EQ(authenticator.check(invite_with("Digest username=")).kind,
              AuthDecision::Kind::Forbidden);
}

TEST_F(SipInviteAuthenticatorTest, NoConfiguredUserAdmitsNobody) {
    authenticator.configure("phone.test", {"", ""});
    const auto decision = authenticator.check(invite_with(""));
    auto challenge = cwmp::digest::parse_challenge(decision.challenges.at(0));
    auto credentials = cwmp::digest::answer_challenge(*challenge, "", "", "INVITE",
                                                      "sip:phone@127.0.0.1", 1, "c0ffee");
    EXPECT_EQ(authenticator.check(invite_with(cwmp::digest::format_credentials(*credentials))).kind,
              AuthDecision::Kind::Forbidden);
}

}  // namespace
}  // namespace agent::sip
