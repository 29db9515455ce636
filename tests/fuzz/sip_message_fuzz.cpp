// Fuzz target of the SIP message layer: every network byte the phone's SIP
// side reads goes through parse_sip_message (UDP) or StreamFramer (TCP/TLS),
// so both run on every input, and what they accept is pushed through the
// serializer, the response builder and the transaction key.
//
// Built as a libFuzzer binary (sip_message_fuzzer) when clang provides
// libFuzzer, and replayed over corpus/sip_message by sip_fuzz_corpus_tests in
// every build.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/core_headers.hpp"
#include "sip/message_parser.hpp"
#include "sip/message_serializer.hpp"
#include "sip/response_builder.hpp"
#include "sip/stream_framer.hpp"
#include "sip/transaction_key.hpp"

namespace {

using namespace agent::sip;

// An accepted message that breaks an invariant is a bug: crash so the fuzzer
// records the input.
void require(bool condition) {
    if (!condition) __builtin_trap();
}

// Re-encoding may lengthen lines (compact names expand) and add a
// Content-Length field, so the second parse gets that much headroom.
ParseLimits reparse_limits(const ParseLimits& limits) {
    ParseLimits relaxed = limits;
    relaxed.max_header_fields = limits.max_header_fields + 1;
    relaxed.max_message_bytes = limits.max_message_bytes * 2 + 64;
    relaxed.max_header_line_bytes = limits.max_header_line_bytes + 64;
    return relaxed;
}

void exercise_accepted(const SipMessage& message, const ParseLimits& limits) {
    require(read_core_headers(message, limits).has_value());

    auto wire = serialize_sip_message(message);
    require(wire.has_value());
    auto reparsed = parse_sip_message(*wire, reparse_limits(limits), Framing::Stream);
    require(reparsed.has_value());
    require(reparsed->body == message.body);
    require(reparsed->is_request() == message.is_request());

    if (!message.is_request()) return;
    require(server_transaction_key(message).has_value());
    if (message.request_line().method == "ACK") return;
    auto response = build_response(message, 487, {.reason_phrase = {}, .to_tag = "fuzz"});
    require(response.has_value());
    auto response_wire = serialize_sip_message(*response);
    require(response_wire.has_value());
    require(parse_sip_message(*response_wire, reparse_limits(limits), Framing::Stream).has_value());
}

void exercise_datagram(std::string_view bytes, const ParseLimits& limits) {
    auto message = parse_sip_message(bytes, limits, Framing::Datagram);
    if (message) exercise_accepted(*message, limits);
}

void exercise_stream(std::string_view bytes, const ParseLimits& limits) {
    StreamFramer framer(limits);
    // Vary the read size with the input so split points move around.
    const std::size_t chunk = bytes.empty() ? 1 : 1 + static_cast<unsigned char>(bytes[0]) % 97;
    for (std::size_t offset = 0; offset < bytes.size(); offset += chunk) {
        if (!framer.append(bytes.substr(offset, chunk))) return;
        for (int guard = 0; guard < 10000; ++guard) {
            auto next = framer.next_message();
            if (!next) return;  // the caller would close the connection
            if (!*next) break;
            require((*next)->size() <= limits.max_message_bytes);
            auto message = parse_sip_message(**next, limits, Framing::Stream);
            if (message) exercise_accepted(*message, limits);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const ParseLimits defaults;
    ParseLimits tight;
    tight.max_message_bytes = 1024;
    tight.max_header_fields = 16;
    tight.max_header_line_bytes = 128;
    tight.max_via_count = 3;
    tight.max_parameters = 4;
    for (const ParseLimits& limits : {defaults, tight}) {
        exercise_datagram(bytes, limits);
        exercise_stream(bytes, limits);
    }
    return 0;
}
