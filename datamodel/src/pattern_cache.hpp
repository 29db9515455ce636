// Pattern facets compiled once per process. BBF patterns use XML Schema
// regular expressions; they are translated to ECMAScript (std::regex) and
// always matched against the whole value.
#pragma once

#include <regex>
#include <string>

namespace datamodel {

// The compiled form of `pattern`, or nullptr with `error` set when the
// pattern uses XML Schema features std::regex cannot express (\i, \c, \p{..},
// class subtraction) or does not compile. The pointer stays valid for the
// life of the process.
const std::regex* compiled_pattern(const std::string& pattern, std::string* error = nullptr);

}  // namespace datamodel
