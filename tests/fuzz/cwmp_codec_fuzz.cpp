// Fuzz target of the CWMP SOAP codec. One decoder serves both ends: the
// agent decodes what an ACS sends (requests, InformResponse, faults) and
// acs-sim what a CPE sends (Inform, responses, TransferComplete), each with
// its own limits, so the input goes through a codec with the agent's
// default limits and one with tight ones. What decodes must encode, and the
// encoding must decode to the same envelope in the same namespace.
#include <memory>
#include <string>
#include <string_view>

#include "cwmp/codec.hpp"
#include "fuzz_target.hpp"

namespace {

using phonecwmp::fuzz::require;

cwmp::Codec& default_codec() {
    static const std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    return *codec;
}

cwmp::Codec& tight_codec() {
    static const std::unique_ptr<cwmp::Codec> codec =
        cwmp::make_codec(cwmp::CodecLimits{.max_message_bytes = 16 * 1024, .max_list_items = 4});
    return *codec;
}

void round_trip(cwmp::Codec& codec, std::string_view text) {
    auto decoded = codec.decode(text);
    if (!decoded) {
        // A refusal always says why.
        require(!decoded.error().detail.empty());
        return;
    }
    const std::string encoded = codec.encode(decoded->envelope, decoded->ns);
    // The re-encoding of a message within the limits goes through a codec
    // without the byte limit: encoding may lengthen it (escapes, prefixes).
    auto again = default_codec().decode(encoded);
    require(again.has_value());
    require(again->ns == decoded->ns);
    require(again->envelope == decoded->envelope);
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return default_codec().decode(bytes).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = phonecwmp::fuzz::as_text(data, size);
    round_trip(default_codec(), text);
    round_trip(tight_codec(), text);
    return 0;
}
