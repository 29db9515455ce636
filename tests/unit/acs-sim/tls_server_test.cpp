// The CWMP endpoint over HTTPS (--tls-cert/--tls-key): requests over TLS
// with a certificate made by the openssl command, refusal of plain HTTP and
// of TLS 1.1, errors naming bad files, and Basic authentication of CPEs
// being allowed without --allow-basic-over-http.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "loopback_server.hpp"
#include "util/base64.hpp"

namespace acssim {
namespace {

namespace ssl = boost::asio::ssl;
using test::bhttp::verb;

// A temporary folder with a self-signed certificate for 127.0.0.1, removed
// when the test ends, whatever its outcome.
class CertificateFolder {
public:
    CertificateFolder() {
        std::string pattern = (std::filesystem::temp_directory_path() / "acs-sim-tls-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        folder_ = pattern;
        make_certificate("server");
    }
    ~CertificateFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }

    // Writes NAME.pem and NAME.key; throws when openssl fails.
    void make_certificate(const std::string& name) const {
        const std::string command =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
            "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
            key(name) + "' -out '" + certificate(name) + "' >/dev/null 2>&1";
        if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
    }

    std::string certificate(const std::string& name = "server") const {
        return (folder_ / (name + ".pem")).string();
    }
    std::string key(const std::string& name = "server") const {
        return (folder_ / (name + ".key")).string();
    }

private:
    std::filesystem::path folder_;
};

AcsServerOptions tls_options(const CertificateFolder& files) {
    auto options = test::loopback_options();
    options.database_file = ":memory:";
    options.tls_certificate_file = files.certificate();
    options.tls_private_key_file = files.key();
    return options;
}

// A blocking HTTPS client that trusts only `ca_file` and checks the name.
class TlsClient {
public:
    TlsClient(const test::tcp::endpoint& endpoint, const std::string& ca_file, int only_version = 0)
        : context_(make_context(ca_file, only_version)), stream_(io_, context_) {
        stream_.set_verify_mode(ssl::verify_peer);
        stream_.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
        auto& tcp = boost::beast::get_lowest_layer(stream_);
        tcp.expires_after(std::chrono::seconds(10));
        tcp.connect(endpoint);
        stream_.handshake(ssl::stream_base::client);
    }

    // The context is set up before the stream: the stream's SSL object
    // copies its settings when created.
    static ssl::context make_context(const std::string& ca_file, int only_version) {
        ssl::context context(ssl::context::tls_client);
        context.load_verify_file(ca_file);
        if (only_version != 0) {
            // Let the client offer an old version, so the refusal is the server's.
            SSL_CTX_set_security_level(context.native_handle(), 0);
            SSL_CTX_set_min_proto_version(context.native_handle(), only_version);
            SSL_CTX_set_max_proto_version(context.native_handle(), only_version);
        }
        return context;
    }

    test::HttpResponse request(verb method, std::string target, std::string authorization = {}) {
        test::bhttp::request<test::bhttp::string_body> request{method, target, 11};
        request.set(test::bhttp::field::host, "127.0.0.1");
        if (!authorization.empty()) request.set(test::bhttp::field::authorization, authorization);
        request.prepare_payload();
        boost::beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
        test::bhttp::write(stream_, request);
        test::HttpResponse response;
        test::bhttp::read(stream_, buffer_, response);
        return response;
    }

private:
    test::asio::io_context io_;
    ssl::context context_;
    boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
    boost::beast::flat_buffer buffer_;
};

TEST(TlsCwmpEndpoint, AnswersOverHttpsOnOneConnection) {
    CertificateFolder files;
    test::RunningServer running(tls_options(files));
    EXPECT_TRUE(running.server().cwmp_tls());
    TlsClient client(running.server().cwmp_endpoint(), files.certificate());
    for (int i = 0; i < 2; ++i) {
        const auto response = client.request(verb::get, "/");
        EXPECT_EQ(response.result_int(), 405);
        EXPECT_NE(response.body().find("POST only"), std::string::npos) << response.body();
    }
}

TEST(TlsCwmpEndpoint, ClosesPlainHttpConnections) {
    CertificateFolder files;
    test::RunningServer running(tls_options(files));
    test::Client client(running.server().cwmp_endpoint());
    EXPECT_THROW(client.request(verb::get, "/"), boost::system::system_error);
}

TEST(TlsCwmpEndpoint, RefusesTls11) {
    CertificateFolder files;
    test::RunningServer running(tls_options(files));
    EXPECT_THROW(TlsClient(running.server().cwmp_endpoint(), files.certificate(), TLS1_1_VERSION),
                 boost::system::system_error);
    // TLS 1.2 itself is fine.
    TlsClient client(running.server().cwmp_endpoint(), files.certificate(), TLS1_2_VERSION);
    EXPECT_EQ(client.request(verb::get, "/").result_int(), 405);
}

TEST(TlsCwmpEndpoint, StartFailsNamingAMissingCertificate) {
    CertificateFolder files;
    auto options = tls_options(files);
    options.tls_certificate_file = files.certificate("absent");
    AcsServer server(options);
    const auto started = server.start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find(files.certificate("absent")), std::string::npos)
        << started.error();
}

TEST(TlsCwmpEndpoint, StartFailsOnAKeyOfAnotherCertificate) {
    CertificateFolder files;
    files.make_certificate("other");
    auto options = tls_options(files);
    options.tls_private_key_file = files.key("other");
    AcsServer server(options);
    const auto started = server.start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find(files.key("other")), std::string::npos) << started.error();
    EXPECT_NE(started.error().find("mismatch"), std::string::npos) << started.error();
}

TEST(TlsCwmpEndpoint, AllowsBasicAuthenticationOverHttps) {
    CertificateFolder files;
    auto options = tls_options(files);
    options.cpe_auth = {CpeAuthMode::Basic, "cpe", "secret"};
    test::RunningServer running(options);
    TlsClient client(running.server().cwmp_endpoint(), files.certificate());
    EXPECT_EQ(client.request(verb::get, "/").result_int(), 401);
    const auto good = client.request(verb::get, "/", "Basic " + base64_encode("cpe:secret"));
    EXPECT_EQ(good.result_int(), 405);  // authenticated; GET is still not CWMP

    auto plain = test::loopback_options();
    plain.cpe_auth = options.cpe_auth;
    AcsServer refused(plain);
    EXPECT_FALSE(refused.start());
}

TEST(TlsCwmpEndpoint, ReadyFileNamesTheHttpsUrl) {
    const auto endpoint = test::tcp::endpoint(test::asio::ip::make_address("127.0.0.1"), 41234);
    const auto content = nlohmann::json::parse(ready_file_content(endpoint, endpoint, 1, true));
    EXPECT_EQ(content["cwmp"]["url"], "https://127.0.0.1:41234/");
    EXPECT_EQ(content["nbi"]["url"], "http://127.0.0.1:41234/");
}

}  // namespace
}  // namespace acssim
