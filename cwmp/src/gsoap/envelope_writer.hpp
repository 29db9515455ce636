// Writes a CWMP envelope with gSOAP.
#pragma once

#include <string>

#include "cwmp/messages.hpp"
#include "cwmp/version.hpp"
#include "gsoap/soap_context.hpp"

namespace cwmp::gsoap {

// A complete UTF-8 XML document: SOAP 1.1 envelope, cwmp prefix bound to
// `ns`. Throws std::bad_alloc when memory runs out and std::runtime_error
// when gSOAP reports an error (neither happens for a well-formed envelope).
std::string write_envelope(SoapContext& context, const Envelope& envelope, Namespace ns);

}  // namespace cwmp::gsoap
