// Checking one value against a parameter's syntax (TR-106 base types and the
// BBF facets), independent of any tree.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/definitions.hpp"
#include "datamodel/types.hpp"
#include "phonecwmp/expected.hpp"

namespace datamodel {

// Who is writing: a controller may not set enumeration values that the data
// model marks read-only; the device itself may.
enum class WriteOrigin { Controller, Device };

// The null value of a base type (TR-106): "" for string, base64 and
// hexBinary, "0" for the integers, "false", and the Unknown Time
// "0001-01-01T00:00:00Z" for dateTime.
std::string_view null_value(BaseType type);

// The null value of a syntax: "" for lists, else that of the base type.
std::string_view null_value(const Syntax& syntax);

// The type a value of this syntax carries (xsi:type): string for lists.
BaseType value_type(const Syntax& syntax);

// Checks `value` against the base type and every facet of `syntax` except
// enumerationRef (which needs the value of another parameter; see
// Model). For lists, each item and the list facets. Returns the canonical
// form (booleans "true"/"false", integers without leading zeros or "+0"
// forms) or a message naming the problem.
phonecwmp::Expected<std::string, std::string> check_value(
    const Syntax& syntax, std::string_view value, WriteOrigin origin = WriteOrigin::Controller);

// The instant an xsd:dateTime names (no zone = UTC), or nothing when the text
// is not one. The Unknown Time 0001-01-01T00:00:00Z parses to kUnknownTime.
std::optional<std::chrono::sys_seconds> parse_date_time(std::string_view text);

inline const std::chrono::sys_seconds kUnknownTime =
    std::chrono::sys_days{std::chrono::year{1} / std::chrono::January / 1};

// The items of a comma-separated list value, without the whitespace around
// each item. "" has no items.
std::vector<std::string_view> list_items(std::string_view value);

// Checks that `pattern` (XML Schema regular expression syntax, as in BBF
// pattern facets) is one this library can evaluate. Returns a message if not.
std::optional<std::string> check_pattern(const std::string& pattern);

}  // namespace datamodel
