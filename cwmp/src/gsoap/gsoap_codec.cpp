// The gSOAP implementation of cwmp::Codec.
#include "gsoap/gsoap_codec.hpp"

#include <exception>
#include <new>

#include "gsoap/envelope_reader.hpp"
#include "gsoap/envelope_writer.hpp"

namespace cwmp::gsoap {

std::string GsoapCodec::encode(const Envelope& envelope, Namespace ns) {
    return write_envelope(context_, envelope, ns);
}

phonecwmp::Expected<Decoded, DecodeError> GsoapCodec::decode(std::string_view text) {
    try {
        return read_envelope(context_, text, limits_);
    } catch (const std::bad_alloc&) {
        return phonecwmp::Unexpected(
            DecodeError{DecodeErrorKind::Oversized, "out of memory while decoding", {}, {}, {}});
    } catch (const std::exception& e) {
        return phonecwmp::Unexpected(DecodeError{
            DecodeErrorKind::Malformed, std::string("cannot decode: ") + e.what(), {}, {}, {}});
    }
}

}  // namespace cwmp::gsoap
