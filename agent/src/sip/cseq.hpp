// CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2**31.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"

namespace agent::sip {

struct CSeq {
    std::uint32_t number = 0;
    std::string method;  // case-sensitive, like request methods
};

phonecwmp::Expected<CSeq, std::string> parse_cseq(std::string_view text);

std::string format_cseq(const CSeq& cseq);

}  // namespace agent::sip
