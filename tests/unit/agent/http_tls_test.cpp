// TLS to the ACS: the channel verifies the ACS's chain and host name against
// the configured CA file, presents a client certificate when configured, and
// names the reason when verification fails. Certificates are made at run
// time by a throw-away CA; servers run on 127.0.0.1 on the test's io_context.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "http/curl_multi_client.hpp"
#include "http/tls_failure.hpp"
#include "http/tls_files.hpp"
#include "http_test_server.hpp"
#include "http_test_tls.hpp"
#include "io_loop.hpp"

namespace agent::http {
namespace {

using namespace std::chrono_literals;
using test::CertificateRequest;
using test::make_reply;
using test::PemFile;
using test::RecordedRequest;
using test::ServerOptions;
using test::TestCa;
using test::TestHttpServer;

std::optional<test::Reply> answer_ok(const RecordedRequest&) {
    return make_reply(200, "<ok/>", "text/xml");
}

class ChannelTlsTest : public ::testing::Test {
protected:
    Result post_and_wait(const ChannelSettings& settings, const std::string& url) {
        CurlMultiClient client(io);
        auto channel = client.open(settings);
        std::optional<Result> result;
        channel->post(Request{url, "<Inform/>", {"Content-Type: text/xml", "SOAPAction: \"\""}},
                      [&result](Result r) { result = std::move(r); });
        if (!testing::run_until(
                io, [&result] { return result.has_value(); }, 10s)) {
            return phonecwmp::Unexpected(TransportError{"test: no completion within 10 s"});
        }
        return std::move(*result);
    }

    // A server whose certificate `ca` issued for `request`.
    std::unique_ptr<TestHttpServer> server_with(const TestCa& issuer,
                                                const CertificateRequest& request,
                                                std::string client_ca_pem = {}) {
        return std::make_unique<TestHttpServer>(
            io, answer_ok, ServerOptions{issuer.issue(request), std::move(client_ca_pem), 0});
    }

    static void expect_refused(const Result& result, const TestHttpServer& server,
                               const std::string& reason) {
        ASSERT_FALSE(result) << "HTTP " << result->status;
        EXPECT_NE(result.error().message.find(reason), std::string::npos) << result.error().message;
        EXPECT_TRUE(server.requests().empty()) << "nothing may reach an unverified server";
    }

    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(io);
    TestCa ca;
    PemFile ca_file{ca.certificate_pem()};
};

TEST_F(ChannelTlsTest, ServerIssuedByTheConfiguredCaForItsAddressIsAccepted) {
    auto server = server_with(ca, {});
    ChannelSettings settings;
    settings.ca_file = ca_file.path();

    const Result result = post_and_wait(settings, server->url());

    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, 200);
    ASSERT_EQ(server->requests().size(), 1u);
}

TEST_F(ChannelTlsTest, ExpiredCertificateIsRefusedNamingTheReason) {
    CertificateRequest expired;
    expired.not_before = -std::chrono::hours(48);
    expired.not_after = -std::chrono::hours(1);
    auto server = server_with(ca, expired);
    ChannelSettings settings;
    settings.ca_file = ca_file.path();

    expect_refused(post_and_wait(settings, server->url()), *server, "expired");
}

TEST_F(ChannelTlsTest, NotYetValidCertificateIsRefusedNamingTheReason) {
    CertificateRequest future;
    future.not_before = std::chrono::hours(24);
    future.not_after = std::chrono::hours(48);
    auto server = server_with(ca, future);
    ChannelSettings settings;
    settings.ca_file = ca_file.path();

    expect_refused(post_and_wait(settings, server->url()), *server, "not yet valid");
}

TEST_F(ChannelTlsTest, CertificateForAnotherHostIsRefusedNamingTheReason) {
    CertificateRequest other_host;
    other_host.subject_alt_name = "DNS:acs.example.test,IP:192.0.2.1";
    auto server = server_with(ca, other_host);
    ChannelSettings settings;
    settings.ca_file = ca_file.path();

    expect_refused(post_and_wait(settings, server->url()), *server, "wrong host");
}

TEST_F(ChannelTlsTest, CertificateFromAnUnknownCaIsRefusedNamingTheReason) {
    const TestCa stranger("some other CA");
    auto server = server_with(stranger, {});
    ChannelSettings settings;
    settings.ca_file = ca_file.path();

    expect_refused(post_and_wait(settings, server->url()), *server, "unknown CA");
}

TEST_F(ChannelTlsTest, SystemTrustStoreDoesNotTrustATestCa) {
    auto server = server_with(ca, {});

    expect_refused(post_and_wait(ChannelSettings{}, server->url()), *server, "unknown CA");
}

TEST_F(ChannelTlsTest, MissingCaFileFailsTheRequest) {
    auto server = server_with(ca, {});
    ChannelSettings settings;
    settings.ca_file = "/nonexistent/phonecwmp-ca.pem";

    const Result result = post_and_wait(settings, server->url());

    ASSERT_FALSE(result);
    EXPECT_TRUE(server->requests().empty());
}

TEST_F(ChannelTlsTest, ClientCertificateRequiredByTheServerIsPresented) {
    const TestCa client_ca("CPE CA");
    CertificateRequest client_request;
    client_request.client = true;
    client_request.subject_alt_name = "DNS:cpe.example.test";
    const auto client_identity = client_ca.issue(client_request);
    const PemFile certificate(client_identity.certificate_pem);
    const PemFile key(client_identity.key_pem);
    auto server = server_with(ca, {}, client_ca.certificate_pem());
    ChannelSettings settings;
    settings.ca_file = ca_file.path();
    settings.client_certificate = certificate.path();
    settings.client_key = key.path();

    const Result result = post_and_wait(settings, server->url());

    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(server->requests().size(), 1u);
}

TEST_F(ChannelTlsTest, ClientCertificateAndKeyInOneFileArePresented) {
    const TestCa client_ca("CPE CA");
    CertificateRequest client_request;
    client_request.client = true;
    const auto client_identity = client_ca.issue(client_request);
    const PemFile both(client_identity.certificate_pem + client_identity.key_pem);
    auto server = server_with(ca, {}, client_ca.certificate_pem());
    ChannelSettings settings;
    settings.ca_file = ca_file.path();
    settings.client_certificate = both.path();

    const Result result = post_and_wait(settings, server->url());

    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, 200);
}

TEST_F(ChannelTlsTest, WithoutClientCertificateAServerThatRequiresOneFailsTheRequest) {
    const TestCa client_ca("CPE CA");
    auto server = server_with(ca, {}, client_ca.certificate_pem());
    ChannelSettings settings;
    settings.ca_file = ca_file.path();

    const Result result = post_and_wait(settings, server->url());

    ASSERT_FALSE(result) << "HTTP " << result->status;
    EXPECT_NE(result.error().message.find("client certificate"), std::string::npos)
        << result.error().message;
    EXPECT_TRUE(server->requests().empty());
    EXPECT_EQ(server->handshakes_failed(), 1u);
}

TEST_F(ChannelTlsTest, ClientCertificateFromACaTheServerDoesNotTrustFailsTheRequest) {
    const TestCa client_ca("CPE CA");
    const TestCa other_ca("not the CPE CA");
    CertificateRequest client_request;
    client_request.client = true;
    const auto client_identity = other_ca.issue(client_request);
    const PemFile certificate(client_identity.certificate_pem);
    const PemFile key(client_identity.key_pem);
    auto server = server_with(ca, {}, client_ca.certificate_pem());
    ChannelSettings settings;
    settings.ca_file = ca_file.path();
    settings.client_certificate = certificate.path();
    settings.client_key = key.path();

    const Result result = post_and_wait(settings, server->url());

    ASSERT_FALSE(result) << "HTTP " << result->status;
    EXPECT_TRUE(server->requests().empty());
}

TEST_F(ChannelTlsTest, ClientKeyWithoutCertificateIsASetupError) {
    auto server = server_with(ca, {});
    const PemFile key(ca.issue({}).key_pem);
    ChannelSettings settings;
    settings.ca_file = ca_file.path();
    settings.client_key = key.path();

    const Result result = post_and_wait(settings, server->url());

    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("client certificate"), std::string::npos)
        << result.error().message;
    EXPECT_EQ(server->connections(), 0u);
}

// ---- start-up check of the files -------------------------------------------------

TEST_F(ChannelTlsTest, UsableFilesPassTheStartupCheck) {
    CertificateRequest client_request;
    client_request.client = true;
    const auto identity = ca.issue(client_request);
    const PemFile certificate(identity.certificate_pem);
    const PemFile key(identity.key_pem);
    ChannelSettings settings;
    settings.ca_file = ca_file.path();
    settings.client_certificate = certificate.path();
    settings.client_key = key.path();

    const auto checked = check_tls_files(settings);

    EXPECT_TRUE(checked) << checked.error();
    EXPECT_TRUE(check_tls_files(ChannelSettings{}));
}

TEST_F(ChannelTlsTest, StartupCheckNamesAnUnusableCaFile) {
    const PemFile not_pem("this is not a certificate\n");
    ChannelSettings settings;
    settings.ca_file = not_pem.path();

    const auto checked = check_tls_files(settings);

    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().find("CA file " + not_pem.path()), std::string::npos)
        << checked.error();
}

TEST_F(ChannelTlsTest, StartupCheckRefusesAKeyThatIsNotTheCertificates) {
    const auto identity = ca.issue({});
    const auto another = ca.issue({});
    const PemFile certificate(identity.certificate_pem);
    const PemFile wrong_key(another.key_pem);
    ChannelSettings settings;
    settings.client_certificate = certificate.path();
    settings.client_key = wrong_key.path();

    const auto checked = check_tls_files(settings);

    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().find(wrong_key.path()), std::string::npos) << checked.error();
    EXPECT_NE(checked.error().find("mismatch"), std::string::npos) << checked.error();
}

TEST_F(ChannelTlsTest, StartupCheckRefusesAKeyWithoutCertificate) {
    const PemFile key(ca.issue({}).key_pem);
    ChannelSettings settings;
    settings.client_key = key.path();

    EXPECT_FALSE(check_tls_files(settings));
}

// ---- classification of libcurl's failures ------------------------------------------

TEST(TlsFailureTest, VerificationResultsNameTheReason) {
    EXPECT_EQ(classify_tls_failure(CURLE_PEER_FAILED_VERIFICATION, 10, ""),
              TlsFailure::CertificateExpired);
    EXPECT_EQ(classify_tls_failure(CURLE_PEER_FAILED_VERIFICATION, 9, ""),
              TlsFailure::CertificateNotYetValid);
    EXPECT_EQ(classify_tls_failure(CURLE_PEER_FAILED_VERIFICATION, 18, ""), TlsFailure::UnknownCa);
    EXPECT_EQ(classify_tls_failure(CURLE_PEER_FAILED_VERIFICATION, 20, ""), TlsFailure::UnknownCa);
    EXPECT_EQ(classify_tls_failure(CURLE_PEER_FAILED_VERIFICATION, 23, ""),
              TlsFailure::CertificateRevoked);
    EXPECT_EQ(classify_tls_failure(
                  CURLE_PEER_FAILED_VERIFICATION, 0,
                  "SSL: no alternative certificate subject name matches target host name 'x'"),
              TlsFailure::WrongHost);
}

TEST(TlsFailureTest, ClientCertificateAlertsAreRecognised) {
    EXPECT_EQ(classify_tls_failure(
                  CURLE_RECV_ERROR, 0,
                  "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate "
                  "required, errno 0"),
              TlsFailure::ClientCertificateRequired);
    EXPECT_EQ(classify_tls_failure(CURLE_SSL_CONNECT_ERROR, 0,
                                   "error:0A000418:SSL routines::tlsv1 alert unknown ca"),
              TlsFailure::ClientCertificateRefused);
    EXPECT_EQ(classify_tls_failure(CURLE_SSL_CONNECT_ERROR, 0, "wrong version number"),
              TlsFailure::Handshake);
}

TEST(TlsFailureTest, NetworkErrorsAreNotTlsFailures) {
    EXPECT_FALSE(classify_tls_failure(CURLE_COULDNT_CONNECT, 0, "Connection refused"));
    EXPECT_FALSE(classify_tls_failure(CURLE_RECV_ERROR, 0, "Connection reset by peer"));
    EXPECT_FALSE(classify_tls_failure(CURLE_OPERATION_TIMEDOUT, 0, ""));
}

}  // namespace
}  // namespace agent::http
