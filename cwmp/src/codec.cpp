// The codec's entry points that do not depend on its implementation.
#include "cwmp/codec.hpp"

#include "gsoap/gsoap_codec.hpp"

namespace cwmp {

std::string_view to_string(DecodeErrorKind kind) {
    switch (kind) {
        case DecodeErrorKind::NotSoap:
            return "NotSoap";
        case DecodeErrorKind::Malformed:
            return "Malformed";
        case DecodeErrorKind::Oversized:
            return "Oversized";
        case DecodeErrorKind::UnknownMethod:
            return "UnknownMethod";
    }
    return "Unknown";
}

std::unique_ptr<Codec> make_codec(CodecLimits limits) {
    return std::make_unique<gsoap::GsoapCodec>(limits);
}

}  // namespace cwmp
