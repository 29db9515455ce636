// Reads a CWMP envelope with gSOAP.
//
// The envelope and the header are read leniently (a header entry nobody asked
// for is skipped unless it says mustUnderstand="1"), the body strictly: gSOAP's
// SOAP_XML_STRICT mode rejects missing and unknown children, values that do not
// parse and mismatched end tags. The body element is peeked at and matched
// against the table of messages (soap_match_tag() compares namespace URIs, so
// whatever prefix the sender chose works), then read with the generated
// deserializer of that message alone.
#include "gsoap/envelope_reader.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "gsoap/from_soap.hpp"
#include "gsoap/namespace_tables.hpp"
#include "gsoap/soap_bindings.hpp"
#include "xml_text_check.hpp"

namespace cwmp::gsoap {

namespace {

using Result = phonecwmp::Expected<Decoded, DecodeError>;

// UTF-8 strings as they are, id/href multi-references ignored, no HTTP headers.
constexpr soap_mode kInputMode = SOAP_C_UTFSTRING | SOAP_XML_TREE | SOAP_ENC_PLAIN;

// The deepest CWMP message nests 7 elements (Envelope, Body, Fault, detail,
// cwmp:Fault, SetParameterValuesFault, FaultString). gSOAP's deserializers
// recurse, so their depth is bounded; elements it skips (foreign header
// entries) and markup inside strings are scanned without recursion.
constexpr unsigned int kMaxDepth = 32;

// What is known of the message so far; every error carries it.
struct Known {
    std::optional<std::string> id;
    std::string method;
    std::optional<Namespace> ns;
};

// gSOAP errors after the envelope was recognized.
DecodeErrorKind kind_of(int soap_error) {
    switch (soap_error) {
        case SOAP_LENGTH:  // a string longer than soap->maxlength
        case SOAP_EOM:     // gSOAP ran out of memory
            return DecodeErrorKind::Oversized;
        default:
            return DecodeErrorKind::Malformed;
    }
}

std::string describe(const SoapContext& context) {
    const int error = context.get()->error;
    if (error == SOAP_EOF) {
        return "unexpected end of input (truncated XML)";
    }
    if (error == SOAP_LEVEL) {
        return "XML nested deeper than " + std::to_string(kMaxDepth) + " levels";
    }
    return context.error_text();
}

template <class Message>
bool read_body(struct soap* soap, ConversionCheck& check, Body& body) {
    using Binding = MessageBinding<Message>;
    typename Binding::SoapType in;
    if (Binding::in(soap, &in) == nullptr) {
        return false;
    }
    body = from_soap(in, check);
    return true;
}

struct BodyReader {
    std::string_view tag;
    bool (*read)(struct soap*, ConversionCheck&, Body&);
};

template <std::size_t... I>
constexpr std::array<BodyReader, sizeof...(I)> make_body_readers(std::index_sequence<I...>) {
    return {{BodyReader{MessageBinding<std::variant_alternative_t<I, Body>>::tag,
                        &read_body<std::variant_alternative_t<I, Body>>}...}};
}

// One reader per Body alternative, Fault included.
constexpr auto kBodyReaders =
    make_body_readers(std::make_index_sequence<std::variant_size_v<Body>>{});

const BodyReader* find_body_reader(struct soap* soap, const char* tag) {
    const auto found = std::find_if(kBodyReaders.begin(), kBodyReaders.end(), [&](const auto& r) {
        return soap_match_tag(soap, tag, r.tag.data()) == SOAP_OK;
    });
    return found == kBodyReaders.end() ? nullptr : &*found;
}

std::string local_name(std::string_view tag) {
    const auto colon = tag.rfind(':');
    return std::string(colon == std::string_view::npos ? tag : tag.substr(colon + 1));
}

// The cwmp-1-x URI that matched the pattern of the input table, when it was not
// the table's own urn:dslforum-org:cwmp-1-2. gSOAP records it in the context's
// copy of the table.
const char* pattern_match(struct soap* soap) {
    for (const ::Namespace* entry = soap->local_namespaces; entry && entry->id; ++entry) {
        if (std::strcmp(entry->id, "cwmp") == 0) {
            return entry->out;
        }
    }
    return nullptr;
}

bool in_cwmp_namespace(struct soap* soap, const std::string& local) {
    return soap_match_tag(soap, soap->tag, ("cwmp:" + local).c_str()) == SOAP_OK;
}

bool header_present(const Header& header) {
    return header.id || header.hold_requests || header.session_timeout ||
           header.supported_cwmp_versions || header.use_cwmp_version;
}

// One decode, step by step; each step returns the error that ends it, if any.
class EnvelopeReader {
public:
    EnvelopeReader(SoapContext& context, const CodecLimits& limits)
        : context_(context), soap_(context.get()), limits_(limits) {}

    Result read(std::string_view text) {
        if (text.size() > limits_.max_message_bytes) {
            return fail(DecodeErrorKind::Oversized, "message of " + std::to_string(text.size()) +
                                                        " bytes, more than the limit of " +
                                                        std::to_string(limits_.max_message_bytes));
        }
        CallScope scope(context_);
        prepare(text);
        Header header;
        Body body;
        Namespace ns = Namespace::Cwmp12;
        if (auto error = open_envelope(text)) {
            return *std::move(error);
        }
        if (auto error = read_header(header)) {
            return *std::move(error);
        }
        if (auto error = open_body()) {
            return *std::move(error);
        }
        if (auto error = read_message(body)) {
            return *std::move(error);
        }
        if (auto error = close_envelope(ns)) {
            return *std::move(error);
        }
        return Decoded{Envelope{std::move(header), std::move(body)}, ns};
    }

private:
    Result fail(DecodeErrorKind kind, std::string detail) const {
        return phonecwmp::Unexpected(
            DecodeError{kind, std::move(detail), known_.id, known_.method, known_.ns});
    }

    void prepare(std::string_view text) {
        context_.read_from(text);
        // Installing the table afresh also forgets the URI the previous
        // message matched with (gSOAP keeps it in the context's copy).
        soap_set_namespaces(soap_, input_namespaces());
        soap_->imode = kInputMode;
        soap_->header = nullptr;
        soap_->maxlevel = kMaxDepth;
        soap_->recv_maxlength = limits_.max_message_bytes;
        soap_->maxlength =
            static_cast<long>(std::min<std::size_t>(limits_.max_message_bytes, LONG_MAX));
        soap_->maxoccurs = limits_.max_list_items;
    }

    std::optional<Result> open_envelope(std::string_view text) {
        // gSOAP takes any root element (it also serves REST-style XML): the
        // root is checked here to be a SOAP 1.1 Envelope.
        if (soap_begin_recv(soap_) || soap_peek_element(soap_)) {
            return fail(DecodeErrorKind::NotSoap,
                        soap_->error == SOAP_EOF ? "no SOAP 1.1 Envelope: empty or truncated input"
                                                 : "no SOAP 1.1 Envelope: " + describe(context_));
        }
        if (soap_match_tag(soap_, soap_->tag, "SOAP-ENV:Envelope") != SOAP_OK) {
            return fail(DecodeErrorKind::NotSoap,
                        "root element " + std::string(soap_->tag) + " is not a SOAP 1.1 Envelope");
        }
        if (soap_envelope_begin_in(soap_)) {
            return fail(DecodeErrorKind::NotSoap, "no SOAP 1.1 Envelope: " + describe(context_));
        }
        if (auto problem = xml::find_text_problem(text)) {
            return fail(DecodeErrorKind::Malformed, *problem);
        }
        return std::nullopt;
    }

    // Read leniently: a foreign entry is skipped unless it must be understood.
    std::optional<Result> read_header(Header& header) {
        if (soap_recv_header(soap_)) {
            return fail(kind_of(soap_->error), "SOAP Header: " + describe(context_));
        }
        header = from_soap(soap_->header);
        known_.id = header.id;
        if (const char* uri = pattern_match(soap_)) {
            known_.ns = namespace_from_uri(uri);
        } else if (header_present(header)) {
            known_.ns = Namespace::Cwmp12;
        }
        return std::nullopt;
    }

    std::optional<Result> open_body() {
        if (soap_peek_element(soap_) ||
            soap_match_tag(soap_, soap_->tag, "SOAP-ENV:Body") != SOAP_OK) {
            return fail(DecodeErrorKind::Malformed,
                        soap_->error == SOAP_OK
                            ? "expected the SOAP Body, found " + std::string(soap_->tag)
                            : "no SOAP Body: " + describe(context_));
        }
        if (soap_body_begin_in(soap_)) {
            return fail(kind_of(soap_->error), "SOAP Body: " + describe(context_));
        }
        // From here on, gSOAP validates: missing, unknown and repeated
        // children, values that do not parse and mismatched end tags are
        // errors. (soap->mode is what the parser reads; imode only seeds it.)
        soap_->imode |= SOAP_XML_STRICT;
        soap_->mode |= SOAP_XML_STRICT;
        return std::nullopt;
    }

    std::optional<Result> read_message(Body& body) {
        if (soap_peek_element(soap_)) {
            return fail(DecodeErrorKind::Malformed, soap_->error == SOAP_NO_TAG
                                                        ? "empty SOAP Body"
                                                        : "SOAP Body: " + describe(context_));
        }
        known_.method = local_name(soap_->tag);
        const bool cwmp_element = in_cwmp_namespace(soap_, known_.method);
        if (const char* uri = pattern_match(soap_)) {
            known_.ns = namespace_from_uri(uri);
            if (!known_.ns) {
                return fail(DecodeErrorKind::Malformed,
                            "unsupported CWMP namespace " + std::string(uri));
            }
        } else if (cwmp_element) {
            known_.ns = Namespace::Cwmp12;
        }

        const BodyReader* reader = find_body_reader(soap_, soap_->tag);
        if (reader == nullptr) {
            return fail(DecodeErrorKind::UnknownMethod,
                        (cwmp_element ? "unknown CWMP method " : "unknown body element ") +
                            std::string(soap_->tag));
        }
        ConversionCheck check(limits_.max_list_items);
        // The message element was matched by namespace; inside it, children
        // are matched by name alone so that a peer which qualifies them
        // (cwmp:Name instead of the schema's unqualified Name, or a default
        // namespace on the message element) is still understood.
        soap_->mode |= SOAP_XML_IGNORENS;
        const bool read = reader->read(soap_, check, body);
        soap_->mode &= ~SOAP_XML_IGNORENS;
        if (!read) {
            return fail(kind_of(soap_->error), known_.method + ": " + describe(context_));
        }
        if (const auto& problem = check.problem()) {
            return fail(check.oversized() ? DecodeErrorKind::Oversized : DecodeErrorKind::Malformed,
                        known_.method + ": " + *problem);
        }
        if (soap_peek_element(soap_) == SOAP_OK) {
            return fail(DecodeErrorKind::Malformed, "more than one element in the SOAP Body (" +
                                                        std::string(soap_->tag) + " after " +
                                                        known_.method + ")");
        }
        soap_->error = SOAP_OK;
        return std::nullopt;
    }

    std::optional<Result> close_envelope(Namespace& ns) {
        if (soap_body_end_in(soap_) || soap_envelope_end_in(soap_) || soap_end_recv(soap_)) {
            return fail(kind_of(soap_->error), "end of SOAP Envelope: " + describe(context_));
        }
        if (!xml::is_trailing_misc(context_.unread_input())) {
            return fail(DecodeErrorKind::Malformed, "content after the SOAP Envelope");
        }
        // A SOAP Fault has no cwmp element of its own: its namespace is the
        // one its cwmp:Fault detail was read in, which may be declared there.
        if (const char* uri = pattern_match(soap_)) {
            const auto matched = namespace_from_uri(uri);
            if (!matched) {
                return fail(DecodeErrorKind::Malformed,
                            "unsupported CWMP namespace " + std::string(uri));
            }
            ns = *matched;
        }
        return std::nullopt;
    }

    SoapContext& context_;
    struct soap* soap_;
    const CodecLimits& limits_;
    Known known_;
};

}  // namespace

Result read_envelope(SoapContext& context, std::string_view text, const CodecLimits& limits) {
    return EnvelopeReader(context, limits).read(text);
}

}  // namespace cwmp::gsoap
