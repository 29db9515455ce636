// The SOAP codec: envelopes to and from text.
//
// This interface is the only door to the SOAP implementation (gSOAP lives
// behind it in cwmp/src/gsoap/), so that a faster or smaller codec can replace
// it without touching the agent or the simulator.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cwmp/messages.hpp"
#include "cwmp/version.hpp"
#include "phonecwmp/expected.hpp"

namespace cwmp {

enum class DecodeErrorKind {
    NotSoap,        // not XML, or XML whose root is not a SOAP 1.1 Envelope
    Malformed,      // a SOAP envelope that does not follow the CWMP schema
    Oversized,      // more bytes or more list items than the codec's limits
    UnknownMethod,  // a well-formed body whose element is not a CWMP message we know
};

struct DecodeError {
    DecodeErrorKind kind = DecodeErrorKind::Malformed;
    std::string detail;  // human-readable, names the problem
    // Set when it could be read before the error: lets a CPE answer an
    // unknown method with fault 9000 carrying the request's cwmp:ID.
    std::optional<std::string> id;
    std::string method;  // element name of the body, when known
    std::optional<Namespace> ns;
};

std::string_view to_string(DecodeErrorKind kind);

struct Decoded {
    Envelope envelope;
    Namespace ns = Namespace::Cwmp12;  // the cwmp namespace the message used
};

struct CodecLimits {
    std::size_t max_message_bytes = 4 * 1024 * 1024;
    std::size_t max_list_items = 20000;  // per list (ParameterList, ParameterNames, ...)
};

class Codec {
public:
    virtual ~Codec() = default;

    // Encodes one envelope in the given cwmp namespace. Encoding cannot fail
    // for a well-formed Envelope; the result is a complete XML document.
    virtual std::string encode(const Envelope& envelope, Namespace ns) = 0;

    // Decodes one envelope. Accepts any of the cwmp-1-0..1-4 namespaces, with
    // or without xsi:type on values, and never trusts SOAP-ENC:arrayType
    // counts. Never throws.
    virtual phonecwmp::Expected<Decoded, DecodeError> decode(std::string_view text) = 0;
};

// The project's codec. One instance per thread: a codec is not thread-safe.
std::unique_ptr<Codec> make_codec(CodecLimits limits = {});

}  // namespace cwmp
