#include "http/tls_failure.hpp"

#include <openssl/x509_vfy.h>

namespace agent::http {

namespace {

bool mentions(std::string_view text, std::string_view what) {
    return text.find(what) != std::string_view::npos;
}

TlsFailure from_verify_result(long verify_result) {
    switch (verify_result) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return TlsFailure::CertificateExpired;
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return TlsFailure::CertificateNotYetValid;
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_CERT_UNTRUSTED:
            return TlsFailure::UnknownCa;
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            return TlsFailure::WrongHost;
        case X509_V_ERR_CERT_REVOKED:
            return TlsFailure::CertificateRevoked;
        default:
            return TlsFailure::CertificateInvalid;
    }
}

}  // namespace

std::string_view to_string(TlsFailure failure) {
    switch (failure) {
        case TlsFailure::CertificateExpired:
            return "ACS certificate expired";
        case TlsFailure::CertificateNotYetValid:
            return "ACS certificate not yet valid";
        case TlsFailure::UnknownCa:
            return "ACS certificate from an unknown CA";
        case TlsFailure::WrongHost:
            return "ACS certificate for the wrong host";
        case TlsFailure::CertificateRevoked:
            return "ACS certificate revoked";
        case TlsFailure::CertificateInvalid:
            return "ACS certificate invalid";
        case TlsFailure::CaFileUnusable:
            return "CA file unusable";
        case TlsFailure::ClientCertificateUnusable:
            return "client certificate or key unusable";
        case TlsFailure::ClientCertificateRequired:
            return "ACS requires a client certificate";
        case TlsFailure::ClientCertificateRefused:
            return "ACS refused our client certificate";
        case TlsFailure::Handshake:
            return "TLS handshake failed";
    }
    return "TLS failure";
}

std::optional<TlsFailure> classify_tls_failure(CURLcode code, long verify_result,
                                               std::string_view detail) {
    switch (code) {
        case CURLE_PEER_FAILED_VERIFICATION:
            // libcurl checks the host name itself, after the handshake ("no
            // alternative certificate subject name matches target host
            // name"); the chain's result is then not the reason.
            if (mentions(detail, "subject name") || mentions(detail, "target host name")) {
                return TlsFailure::WrongHost;
            }
            if (verify_result != X509_V_OK) {
                return from_verify_result(verify_result);
            }
            return TlsFailure::CertificateInvalid;
        case CURLE_SSL_CACERT_BADFILE:
            return TlsFailure::CaFileUnusable;
        case CURLE_SSL_CERTPROBLEM:
            return TlsFailure::ClientCertificateUnusable;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
            // TLS 1.3 servers judge the client certificate after the
            // handshake, so their alert shows on the first read or write;
            // TLS 1.2 servers send it during the handshake.
            if (mentions(detail, "alert certificate required")) {
                return TlsFailure::ClientCertificateRequired;
            }
            if (mentions(detail, "alert bad certificate") || mentions(detail, "alert unknown ca") ||
                mentions(detail, "alert certificate unknown")) {
                return TlsFailure::ClientCertificateRefused;
            }
            if (code == CURLE_SSL_CONNECT_ERROR) {
                return TlsFailure::Handshake;
            }
            return std::nullopt;  // a plain network error on a TLS connection
        default:
            return std::nullopt;
    }
}

}  // namespace agent::http
