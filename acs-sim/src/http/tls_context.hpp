// The TLS server context of an HTTPS listener: a PEM certificate chain and
// its private key, TLS 1.2 or newer only.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "phonecwmp/expected.hpp"

namespace acssim::http {

// Loads and checks the files; the error names the file and OpenSSL's reason
// (unreadable, not PEM, key not matching the certificate).
phonecwmp::Expected<std::shared_ptr<boost::asio::ssl::context>, std::string>
make_tls_server_context(const std::string& certificate_file, const std::string& private_key_file);

}  // namespace acssim::http
