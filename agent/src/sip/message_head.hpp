// The header section of a SIP message: where it ends and how it splits into
// logical header lines. Shared by the datagram parser and the stream framer so
// both agree byte for byte on framing.
//
// Lines end with CRLF; a bare LF is accepted too (RFC 3261 §7.5 asks for
// tolerance, and real phones send it). A line that starts with SP or HTAB
// continues the previous header (obsolete folding, RFC 3261 §7.3.1) and is
// joined with a single space.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/parse_limits.hpp"
#include "sip/sip_error.hpp"

namespace agent::sip {

// Number of CR and LF bytes at the start of `bytes`: the keep-alives and
// stray line ends RFC 3261 §7.5 says to ignore before a start line.
std::size_t leading_line_end_count(std::string_view bytes);

struct HeadBoundary {
    std::size_t head_length = 0;  // start line and headers, without the empty line
    std::size_t body_offset = 0;  // first byte after the empty line
};

// Finds the empty line that ends the header section of `bytes`, which begins
// with the start line. nullopt while it has not arrived. `search_from` lets an
// incremental caller skip what it scanned before; it must be at least three
// bytes before the end of the previous scan, so a terminator split across
// reads is still found.
std::optional<HeadBoundary> find_head_end(std::string_view bytes, std::size_t search_from = 0);

struct HeaderLine {
    std::string_view name;  // as written, not yet canonical
    std::string value;      // unfolded and trimmed
    std::size_t line = 0;   // 1-based line number of the first physical line
};

// Splits the text after the start line (`header_block`, without the empty
// line) into logical header lines. Enforces the line-length and header-count
// limits and rejects control characters other than HTAB.
SipResult<std::vector<HeaderLine>> split_header_lines(std::string_view header_block,
                                                      std::size_t first_line_number,
                                                      const ParseLimits& limits);

}  // namespace agent::sip
