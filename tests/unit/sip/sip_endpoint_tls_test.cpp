// SIP over TLS on loopback: the endpoint presents the phone's certificate,
// frames the decrypted stream like TCP, and refuses to start without a
// usable certificate and key.
#include <gtest/gtest.h>

#include <boost/asio/ssl.hpp>

#include "../agent/http_test_tls.hpp"
#include "../agent/io_loop.hpp"
#include "../agent/log_capture.hpp"
#include "fake_address_resolver.hpp"
#include "sip/sip_endpoint.hpp"
#include "sip_test_peer.hpp"

namespace agent::sip {
namespace {

using boost::asio::ip::tcp;

class SipEndpointTlsTest : public ::testing::Test {
protected:
    SipEndpointTlsTest()
        : identity(ca.issue({})),
          certificate(identity.certificate_pem),
          key(identity.key_pem),
          ca_file(ca.certificate_pem()),
          resolver(io),
          endpoint(io, resolver) {
        settings.enabled = true;
        settings.bind_address = boost::asio::ip::make_address("127.0.0.1");
        settings.port = 0;
        settings.transport = TransportKind::Tls;
        settings.tls = {certificate.path(), key.path(), {}};
    }

    // Connects, verifies the phone's certificate against `trusted`, sends
    // `request` and returns the first response's status (0: none).
    int exchange(const std::string& trusted_pem, const std::string& request_branch,
                 bool* handshake_ok) {
        boost::asio::ssl::context context(boost::asio::ssl::context::tls_client);
        context.add_certificate_authority(boost::asio::buffer(trusted_pem));
        context.set_verify_mode(boost::asio::ssl::verify_peer);
        boost::asio::ssl::stream<tcp::socket> stream(io, context);
        stream.next_layer().connect(
            {boost::asio::ip::make_address("127.0.0.1"), endpoint.local_port()});
        std::optional<boost::system::error_code> handshake;
        stream.async_handshake(boost::asio::ssl::stream_base::client,
                               [&](const boost::system::error_code& ec) { handshake = ec; });
        agent::testing::run_until(io, [&] { return handshake.has_value(); });
        *handshake_ok = handshake && !*handshake;
        if (!*handshake_ok) {
            return 0;
        }
        const auto port = stream.next_layer().local_endpoint().port();
        const auto text =
            test::sip_request("OPTIONS", request_branch, "tls-" + request_branch, port, "TLS");
        bool written = false;
        boost::asio::async_write(
            stream, boost::asio::buffer(text),
            [&](const boost::system::error_code&, std::size_t) { written = true; });
        StreamFramer framer;
        std::vector<char> buffer(65535);
        std::optional<std::string> message;
        bool failed = false;
        std::function<void()> read = [&] {
            stream.async_read_some(boost::asio::buffer(buffer),
                                   [&](const boost::system::error_code& ec, std::size_t size) {
                                       if (ec) {
                                           failed = true;
                                           return;
                                       }
                                       (void)framer.append(std::string_view(buffer.data(), size));
                                       if (auto next = framer.next_message(); next && *next) {
                                           message = **next;
                                           return;
                                       }
                                       read();
                                   });
        };
        read();
        agent::testing::run_until(io, [&] { return message.has_value() || failed; });
        if (!message) {
            return 0;
        }
        auto parsed = parse_sip_message(*message, {}, Framing::Stream);
        return parsed && !parsed->is_request() ? parsed->status_line().status_code : 0;
    }

    agent::http::test::TestCa ca;
    agent::http::test::TlsIdentity identity;
    agent::http::test::PemFile certificate;
    agent::http::test::PemFile key;
    agent::http::test::PemFile ca_file;
    boost::asio::io_context io;
    test::FakeAddressResolver resolver;
    SipEndpoint endpoint;
    EndpointSettings settings;
};

TEST_F(SipEndpointTlsTest, OptionsOverTlsIsAnswered) {
    ASSERT_TRUE(endpoint.configure(settings));
    bool handshake_ok = false;
    EXPECT_EQ(exchange(ca.certificate_pem(), "tls1", &handshake_ok), 200);
    EXPECT_TRUE(handshake_ok);
}

TEST_F(SipEndpointTlsTest, AClientTrustingAnotherCaFailsTheHandshake) {
    ASSERT_TRUE(endpoint.configure(settings));
    agent::http::test::TestCa stranger("another CA");
    bool handshake_ok = true;
    EXPECT_EQ(exchange(stranger.certificate_pem(), "tls2", &handshake_ok), 0);
    EXPECT_FALSE(handshake_ok);
}

TEST_F(SipEndpointTlsTest, FailedHandshakesAreLoggedAtMostOncePerInterval) {
    agent::testing::LogCapture log;
    ASSERT_TRUE(endpoint.configure(settings));
    agent::http::test::TestCa stranger("another CA");
    constexpr int kFailures = 5;
    for (int i = 0; i < kFailures; ++i) {
        bool handshake_ok = true;
        EXPECT_EQ(exchange(stranger.certificate_pem(), "tlsf" + std::to_string(i), &handshake_ok),
                  0);
        EXPECT_FALSE(handshake_ok);
    }
    ASSERT_TRUE(agent::testing::run_until(
        io, [this] { return endpoint.failed_tls_handshakes() == kFailures; }));
    // The first is logged with its peer and reason; the rest, within the
    // same 10 s, only counted.
    EXPECT_EQ(log.count("SIP TLS handshake with 127.0.0.1 failed"), 1U) << log.text();
}

TEST_F(SipEndpointTlsTest, AKeyThatDoesNotMatchIsRefused) {
    const auto other = ca.issue({});
    agent::http::test::PemFile other_key(other.key_pem);
    settings.tls.private_key = other_key.path();
    auto configured = endpoint.configure(settings);
    ASSERT_FALSE(configured);
    EXPECT_NE(configured.error().find(other_key.path()), std::string::npos) << configured.error();
    EXPECT_EQ(endpoint.status(), SipEndpoint::Status::Error);
}

TEST_F(SipEndpointTlsTest, AMissingCaFileIsNamed) {
    settings.tls.ca = "/nonexistent/sip-ca.pem";
    auto configured = endpoint.configure(settings);
    ASSERT_FALSE(configured);
    EXPECT_NE(configured.error().find("/nonexistent/sip-ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace agent::sip
