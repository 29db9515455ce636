// Lexical checks of an XML document that gSOAP's parser does not make.
//
// gSOAP is lenient: it turns an unknown entity into the character 0x7F, cuts a
// string at "&#0;", skips a DOCTYPE (with its entity declarations) and passes
// any byte sequence through as "UTF-8". CWMP messages are UTF-8 and carry no
// DTD (SOAP 1.1 forbids one), so the codec rejects all of these before it
// trusts what gSOAP read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cwmp::xml {

// The first problem found, naming it and its byte offset; nullopt when the
// text passes. Checked: UTF-8 encoding, characters allowed by XML 1.0,
// entity and character references (only the five predefined entities and
// references to allowed characters), no DOCTYPE or other markup declaration,
// comments, CDATA sections and processing instructions terminated.
std::optional<std::string> find_text_problem(std::string_view text);

// True when `text` may follow the root element of a document: white space,
// comments and processing instructions only.
bool is_trailing_misc(std::string_view text);

}  // namespace cwmp::xml
