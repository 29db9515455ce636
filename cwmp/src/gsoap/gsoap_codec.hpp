// The gSOAP implementation of cwmp::Codec.
#pragma once

#include "cwmp/codec.hpp"
#include "gsoap/soap_context.hpp"

namespace cwmp::gsoap {

// One gSOAP context per codec, reused by every call and cleaned after each
// one; not thread-safe (use one codec per thread).
class GsoapCodec final : public Codec {
public:
    explicit GsoapCodec(CodecLimits limits) : limits_(limits) {}

    std::string encode(const Envelope& envelope, Namespace ns) override;
    phonecwmp::Expected<Decoded, DecodeError> decode(std::string_view text) override;

private:
    CodecLimits limits_;
    SoapContext context_;
};

}  // namespace cwmp::gsoap
