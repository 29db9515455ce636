#include "http/tls_files.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>

namespace agent::http {

namespace {

struct ContextFree {
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using Context = std::unique_ptr<SSL_CTX, ContextFree>;

// The first error OpenSSL queued (the root cause), and an empty queue after.
std::string openssl_reason() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return "unknown OpenSSL error";
    }
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

phonecwmp::Unexpected<std::string> failure(const std::string& what, const std::string& file) {
    return phonecwmp::Unexpected(what + " " + file + ": " + openssl_reason());
}

}  // namespace

phonecwmp::Expected<void, std::string> check_tls_files(const ChannelSettings& settings) {
    if (settings.ca_file.empty() && settings.client_certificate.empty() &&
        settings.client_key.empty()) {
        return {};
    }
    if (!settings.client_key.empty() && settings.client_certificate.empty()) {
        return phonecwmp::Unexpected(std::string("a client key (") + settings.client_key +
                                     ") needs its client certificate");
    }
    ERR_clear_error();
    Context context(SSL_CTX_new(TLS_client_method()));
    if (!context) {
        return phonecwmp::Unexpected("cannot create a TLS context: " + openssl_reason());
    }
    if (!settings.ca_file.empty() &&
        SSL_CTX_load_verify_file(context.get(), settings.ca_file.c_str()) != 1) {
        return failure("cannot load the CA file", settings.ca_file);
    }
    if (settings.client_certificate.empty()) {
        return {};
    }
    if (SSL_CTX_use_certificate_chain_file(context.get(), settings.client_certificate.c_str()) !=
        1) {
        return failure("cannot load the client certificate", settings.client_certificate);
    }
    const std::string& key_file =
        settings.client_key.empty() ? settings.client_certificate : settings.client_key;
    if (SSL_CTX_use_PrivateKey_file(context.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
        return failure("cannot load the client key", key_file);
    }
    if (SSL_CTX_check_private_key(context.get()) != 1) {
        return failure("the client key does not match the certificate", key_file);
    }
    return {};
}

}  // namespace agent::http
