// Why a TLS connection to the ACS failed, in the words an operator needs:
// "expired", "wrong host", "unknown CA", ... The session log names it, so a
// device that cannot reach its ACS can be diagnosed from one line.
#pragma once

#include <curl/curl.h>

#include <optional>
#include <string>
#include <string_view>

namespace agent::http {

enum class TlsFailure {
    CertificateExpired,
    CertificateNotYetValid,
    UnknownCa,  // no trusted CA issued the chain (self-signed, unknown issuer)
    WrongHost,  // the certificate is not for the host of the ACS URL
    CertificateRevoked,
    CertificateInvalid,  // any other verification failure (bad signature, purpose, ...)
    CaFileUnusable,
    ClientCertificateUnusable,  // our own certificate or key cannot be loaded
    ClientCertificateRequired,  // the ACS wants one and we sent none
    ClientCertificateRefused,   // the ACS does not trust the one we sent
    Handshake,                  // no common protocol version or cipher, or an alert
};

std::string_view to_string(TlsFailure failure);

// Classifies a failed transfer. verify_result is libcurl's
// CURLINFO_SSL_VERIFYRESULT (an X509_V_ERR_* code, 0 when the chain itself
// verified); detail is libcurl's error buffer. nullopt: not a TLS failure.
std::optional<TlsFailure> classify_tls_failure(CURLcode code, long verify_result,
                                               std::string_view detail);

}  // namespace agent::http
