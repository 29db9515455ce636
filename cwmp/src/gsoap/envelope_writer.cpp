// Writes a CWMP envelope with gSOAP.
#include "gsoap/envelope_writer.hpp"

#include <stdexcept>
#include <variant>

#include "gsoap/namespace_tables.hpp"
#include "gsoap/soap_bindings.hpp"
#include "gsoap/to_soap.hpp"

namespace cwmp::gsoap {

namespace {

// UTF-8 strings as they are, no id/href multi-references, no HTTP headers.
constexpr soap_mode kOutputMode =
    SOAP_C_UTFSTRING | SOAP_XML_TREE | SOAP_ENC_PLAIN | SOAP_IO_BUFFER;

template <class Message>
int write_body(struct soap* soap, const Message& message) {
    using Binding = MessageBinding<Message>;
    typename Binding::SoapType out;
    to_soap(soap, message, out);
    return Binding::out(soap, &out);
}

}  // namespace

std::string write_envelope(SoapContext& context, const Envelope& envelope, Namespace ns) {
    struct soap* soap = context.get();
    CallScope scope(context);
    std::string text;
    context.write_to(text);

    soap_set_namespaces(soap, output_namespaces(ns));
    soap->omode = kOutputMode;
    // Literal style: no SOAP-ENV:encodingStyle attribute; the SOAP-ENC array
    // attributes are written explicitly.
    soap->encodingStyle = nullptr;
    soap->header = to_soap(soap, envelope.header);

    if (soap_begin_send(soap) || soap_envelope_begin_out(soap) || soap_putheader(soap) ||
        soap_body_begin_out(soap) ||
        std::visit([soap](const auto& message) { return write_body(soap, message); },
                   envelope.body) ||
        soap_body_end_out(soap) || soap_envelope_end_out(soap) || soap_end_send(soap)) {
        const std::string error = context.error_text();
        soap->header = nullptr;
        throw std::runtime_error("cwmp codec: cannot encode " +
                                 std::string(method_name(envelope.body)) + ": " + error);
    }
    soap->header = nullptr;
    return text;
}

}  // namespace cwmp::gsoap
