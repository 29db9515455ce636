// REGISTER over TLS through the real endpoint, against a registrar on
// loopback whose certificate is made at test time: a certificate from the
// configured CA naming the registrar → registered; another name, another
// CA or an expired certificate → registration Error naming the problem, and
// never a plaintext retry.
#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <optional>

#include "../agent/http_test_tls.hpp"
#include "../agent/io_loop.hpp"
#include "fake_address_resolver.hpp"
#include "sip/message_parser.hpp"
#include "sip/message_serializer.hpp"
#include "sip/response_builder.hpp"
#include "sip/sip_endpoint.hpp"
#include "sip/stream_framer.hpp"

namespace agent::sip {
namespace {

using boost::asio::ip::tcp;
using namespace std::chrono_literals;
using State = RegistrationClient::State;

// A TLS registrar that accepts every REGISTER with 200 and Expires 600, and
// counts what reaches it: TLS connections, and any plaintext on UDP of the
// same port number.
class TlsRegistrar {
public:
    TlsRegistrar(boost::asio::io_context& io, const http::test::TlsIdentity& identity)
        : context_(boost::asio::ssl::context::tls_server),
          acceptor_(io, {boost::asio::ip::make_address("127.0.0.1"), 0}),
          udp_(io) {
        context_.use_certificate_chain(boost::asio::buffer(identity.certificate_pem));
        context_.use_private_key(boost::asio::buffer(identity.key_pem),
                                 boost::asio::ssl::context::pem);
        boost::system::error_code ec;
        udp_.open(boost::asio::ip::udp::v4(), ec);
        udp_.bind({boost::asio::ip::make_address("127.0.0.1"), port()}, ec);
        udp_bound_ = !ec;
        if (udp_bound_) {
            receive_udp();
        }
        accept();
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    int connections = 0;
    int failed_handshakes = 0;
    int registers = 0;
    int plaintext_datagrams = 0;
    std::string last_contact;
    std::string last_user_agent;
    std::uint16_t last_peer_port = 0;
    bool udp_bound() const { return udp_bound_; }

private:
    struct Session {
        explicit Session(tcp::socket socket, boost::asio::ssl::context& context)
            : stream(std::move(socket), context), buffer(65535) {}
        boost::asio::ssl::stream<tcp::socket> stream;
        StreamFramer framer;
        std::vector<char> buffer;
        std::string reply;
    };

    void accept() {
        acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
            if (ec) {
                return;
            }
            ++connections;
            auto session = std::make_shared<Session>(std::move(socket), context_);
            session->stream.async_handshake(
                boost::asio::ssl::stream_base::server,
                [this, session](const boost::system::error_code& error) {
                    if (error) {
                        ++failed_handshakes;
                        return;
                    }
                    read(session);
                });
            accept();
        });
    }

    void read(const std::shared_ptr<Session>& session) {
        session->stream.async_read_some(
            boost::asio::buffer(session->buffer),
            [this, session](const boost::system::error_code& ec, std::size_t size) {
                if (ec) {
                    return;
                }
                (void)session->framer.append(std::string_view(session->buffer.data(), size));
                auto next = session->framer.next_message();
                if (next && *next) {
                    answer(session, **next);
                }
                read(session);
            });
    }

    void answer(const std::shared_ptr<Session>& session, const std::string& wire) {
        auto request = parse_sip_message(wire, {}, Framing::Stream);
        if (!request || !request->is_request() || request->request_line().method != "REGISTER") {
            return;
        }
        ++registers;
        last_contact = std::string(request->header("Contact").value_or(""));
        last_user_agent = std::string(request->header("User-Agent").value_or(""));
        boost::system::error_code ec;
        last_peer_port = session->stream.lowest_layer().remote_endpoint(ec).port();
        auto response = build_response(*request, 200, {.reason_phrase = {}, .to_tag = "reg"});
        response->add_header("Expires", "600");
        session->reply = *serialize_sip_message(*response);
        boost::asio::async_write(session->stream, boost::asio::buffer(session->reply),
                                 [session](const boost::system::error_code&, std::size_t) {});
    }

    void receive_udp() {
        udp_.async_receive_from(boost::asio::buffer(datagram_), sender_,
                                [this](const boost::system::error_code& ec, std::size_t) {
                                    if (ec) {
                                        return;
                                    }
                                    ++plaintext_datagrams;
                                    receive_udp();
                                });
    }

    boost::asio::ssl::context context_;
    tcp::acceptor acceptor_;
    boost::asio::ip::udp::socket udp_;
    bool udp_bound_ = false;
    std::array<char, 65535> datagram_{};
    boost::asio::ip::udp::endpoint sender_;
};

class SipRegistrationTlsTest : public ::testing::Test {
protected:
    SipRegistrationTlsTest()
        : ca_file(ca.certificate_pem()), resolver(io), endpoint(io, resolver, user_agent()) {
        resolver.set("registrar.test", {"127.0.0.1"});
        settings.enabled = true;
        settings.bind_address = boost::asio::ip::make_address("127.0.0.1");
        settings.port = 0;
        settings.transport = TransportKind::Udp;
        settings.tls = {{}, {}, ca_file.path()};
    }

    void register_at(const TlsRegistrar& registrar, const std::string& host = "registrar.test") {
        settings.registration.enabled = true;
        settings.registration.registrar = {host, registrar.port(), TransportKind::Tls};
        settings.registration.register_uri = "sip:1000@example.com";
        settings.registration.retry_interval = std::chrono::seconds(3600);
        ASSERT_TRUE(endpoint.configure(settings).has_value());
        agent::testing::run_until(io, [&] {
            return endpoint.registration().state() == State::Registered ||
                   endpoint.registration().state() == State::Error;
        });
    }

    static UserAgentSettings user_agent() {
        UserAgentSettings settings;
        settings.user_agent = "phonecwmp-tls-test/1.0";
        return settings;
    }

    http::test::TestCa ca;
    http::test::PemFile ca_file;
    boost::asio::io_context io;
    test::FakeAddressResolver resolver;
    SipEndpoint endpoint;
    EndpointSettings settings;
};

TEST_F(SipRegistrationTlsTest, CertificateFromTheCaNamingTheRegistrarRegisters) {
    TlsRegistrar registrar(io, ca.issue({.subject_alt_name = "DNS:registrar.test"}));
    register_at(registrar);
    EXPECT_EQ(endpoint.registration().state(), State::Registered)
        << endpoint.registration().last_error();
    EXPECT_EQ(registrar.registers, 1);
    EXPECT_EQ(endpoint.registration().granted_expires(), std::chrono::seconds(600));
    EXPECT_EQ(registrar.last_user_agent, "phonecwmp-tls-test/1.0");
    // The listener is UDP: only the TLS connection itself reaches the phone
    // over TLS, so the Contact names its local port and the transport.
    ASSERT_NE(registrar.last_peer_port, 0);
    EXPECT_NE(registrar.last_peer_port, endpoint.local_port());
    EXPECT_EQ(
        registrar.last_contact,
        "<sip:1000@127.0.0.1:" + std::to_string(registrar.last_peer_port) + ";transport=tls>");
}

TEST_F(SipRegistrationTlsTest, IpLiteralRegistrarIsCheckedAgainstTheIpAddress) {
    TlsRegistrar registrar(io, ca.issue({.subject_alt_name = "IP:127.0.0.1"}));
    resolver.set("127.0.0.1", {"127.0.0.1"});  // the real resolver answers literals itself
    register_at(registrar, "127.0.0.1");
    EXPECT_EQ(endpoint.registration().state(), State::Registered)
        << endpoint.registration().last_error();
}

TEST_F(SipRegistrationTlsTest, WrongHostNameIsAnErrorWithoutFallback) {
    TlsRegistrar registrar(io, ca.issue({.subject_alt_name = "DNS:someone-else.test"}));
    register_at(registrar);
    EXPECT_EQ(endpoint.registration().state(), State::Error);
    EXPECT_EQ(endpoint.registration().failure(), RegistrationClient::Failure::Network);
    EXPECT_NE(endpoint.registration().last_error().find("hostname mismatch"), std::string::npos)
        << endpoint.registration().last_error();
    EXPECT_TRUE(agent::testing::run_for(io, 300ms));
    EXPECT_EQ(registrar.connections, 1);
    EXPECT_EQ(registrar.registers, 0);
    EXPECT_EQ(registrar.plaintext_datagrams, 0);
}

TEST_F(SipRegistrationTlsTest, UnknownCaIsAnErrorWithoutFallback) {
    http::test::TestCa stranger("some other CA");
    TlsRegistrar registrar(io, stranger.issue({.subject_alt_name = "DNS:registrar.test"}));
    register_at(registrar);
    EXPECT_EQ(endpoint.registration().state(), State::Error);
    EXPECT_NE(endpoint.registration().last_error().find("local issuer"), std::string::npos)
        << endpoint.registration().last_error();
    EXPECT_TRUE(agent::testing::run_for(io, 300ms));
    EXPECT_EQ(registrar.connections, 1);
    EXPECT_EQ(registrar.registers, 0);
    EXPECT_EQ(registrar.plaintext_datagrams, 0);
}

TEST_F(SipRegistrationTlsTest, ExpiredCertificateIsNamed) {
    TlsRegistrar registrar(io, ca.issue({.subject_alt_name = "DNS:registrar.test",
                                         .not_before = -std::chrono::hours(48),
                                         .not_after = -std::chrono::hours(24)}));
    register_at(registrar);
    EXPECT_EQ(endpoint.registration().state(), State::Error);
    EXPECT_NE(endpoint.registration().last_error().find("expired"), std::string::npos)
        << endpoint.registration().last_error();
}

}  // namespace
}  // namespace agent::sip
