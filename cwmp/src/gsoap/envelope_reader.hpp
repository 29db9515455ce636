// Reads a CWMP envelope with gSOAP.
#pragma once

#include <string_view>

#include "cwmp/codec.hpp"
#include "gsoap/soap_context.hpp"

namespace cwmp::gsoap {

// Decodes one envelope (see Codec::decode). May throw std::bad_alloc; the
// codec turns that into an error.
phonecwmp::Expected<Decoded, DecodeError> read_envelope(SoapContext& context, std::string_view text,
                                                        const CodecLimits& limits);

}  // namespace cwmp::gsoap
