#include "http/tls_context.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace acssim::http {

namespace ssl = boost::asio::ssl;

namespace {

// asio's error for a failed SSL_CTX call is often just "error:..."; the last
// queued OpenSSL reason says which part of the file was wrong.
std::string openssl_reason(const boost::system::error_code& error) {
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) return error.message();
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

}  // namespace

phonecwmp::Expected<std::shared_ptr<ssl::context>, std::string> make_tls_server_context(
    const std::string& certificate_file, const std::string& private_key_file) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    boost::system::error_code error;
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                         error);
    if (error) return phonecwmp::Unexpected("TLS: cannot set options: " + openssl_reason(error));
    if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1) {
        return phonecwmp::Unexpected(std::string{"TLS: cannot require TLS 1.2 or newer"});
    }
    ERR_clear_error();
    context->use_certificate_chain_file(certificate_file, error);
    if (error) {
        return phonecwmp::Unexpected(
            fmt::format("TLS certificate {}: {}", certificate_file, openssl_reason(error)));
    }
    context->use_private_key_file(private_key_file, ssl::context::pem, error);
    if (error) {
        return phonecwmp::Unexpected(
            fmt::format("TLS private key {}: {}", private_key_file, openssl_reason(error)));
    }
    // OpenSSL checks that the key is the certificate's while loading it
    // ("key values mismatch"); this covers a chain whose leaf lacks one.
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        ERR_clear_error();
        return phonecwmp::Unexpected(fmt::format("TLS private key {} does not match certificate {}",
                                                 private_key_file, certificate_file));
    }
    return context;
}

}  // namespace acssim::http
