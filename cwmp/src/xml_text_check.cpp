// Lexical checks of an XML document that gSOAP's parser does not make.
#include "xml_text_check.hpp"

#include <array>
#include <cstdint>

namespace cwmp::xml {

namespace {

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
bool is_xml_char(std::uint32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Bytes that need no check of their own: the ASCII characters XML allows,
// except the two that start markup and references. Nearly every byte of a
// CWMP message is one; testing them with one table lookup keeps the scan of
// a megabyte message at a fraction of gSOAP's own parse.
constexpr std::array<bool, 256> kPlainBytes = [] {
    std::array<bool, 256> plain{};
    for (std::size_t c = 0x20; c < 0x80; ++c) {
        plain[c] = true;
    }
    plain['\t'] = plain['\n'] = plain['\r'] = true;
    plain['<'] = plain['&'] = false;
    return plain;
}();

std::string at(std::size_t offset) {
    return " at byte " + std::to_string(offset);
}

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    std::optional<std::string> run() {
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (kPlainBytes[static_cast<std::uint8_t>(c)]) {
                ++pos_;
            } else if (c == '<') {
                if (auto problem = markup()) {
                    return problem;
                }
            } else if (c == '&') {
                if (auto problem = reference()) {
                    return problem;
                }
            } else if (auto problem = character()) {
                return problem;
            }
        }
        return std::nullopt;
    }

private:
    bool starts_with(std::string_view prefix) const {
        return text_.substr(pos_, prefix.size()) == prefix;
    }

    // One character, UTF-8 decoded and checked; advances past it.
    std::optional<std::string> character() {
        const std::size_t start = pos_;
        const auto byte = [&](std::size_t i) {
            return static_cast<std::uint8_t>(text_[start + i]);
        };
        const std::uint8_t lead = byte(0);
        std::size_t length = 0;
        std::uint32_t code = 0;
        std::uint32_t minimum = 0;
        if (lead < 0x80) {
            length = 1;
            code = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            code = lead & 0x1Fu;
            minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            code = lead & 0x0Fu;
            minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            code = lead & 0x07u;
            minimum = 0x10000;
        } else {
            return "invalid UTF-8 byte" + at(start);
        }
        if (start + length > text_.size()) {
            return "truncated UTF-8 sequence" + at(start);
        }
        for (std::size_t i = 1; i < length; ++i) {
            if ((byte(i) & 0xC0) != 0x80) {
                return "invalid UTF-8 sequence" + at(start);
            }
            code = (code << 6) | (byte(i) & 0x3Fu);
        }
        if (code < minimum || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
            return "invalid UTF-8 sequence" + at(start);
        }
        if (!is_xml_char(code)) {
            return "character U+" + hex(code) + " not allowed in XML" + at(start);
        }
        pos_ += length;
        return std::nullopt;
    }

    // Characters up to and including `terminator`, each checked.
    std::optional<std::string> skip_past(std::string_view terminator, std::string_view what) {
        const std::size_t start = pos_;
        while (pos_ < text_.size()) {
            if (starts_with(terminator)) {
                pos_ += terminator.size();
                return std::nullopt;
            }
            if (auto problem = character()) {
                return problem;
            }
        }
        return "unterminated " + std::string(what) + at(start);
    }

    std::optional<std::string> markup() {
        if (starts_with("<!--")) {
            pos_ += 4;
            return skip_past("-->", "comment");
        }
        if (starts_with("<![CDATA[")) {
            pos_ += 9;
            return skip_past("]]>", "CDATA section");
        }
        if (starts_with("<?")) {
            pos_ += 2;
            return skip_past("?>", "processing instruction");
        }
        if (starts_with("<!")) {
            return "DOCTYPE or markup declaration (not allowed in SOAP)" + at(pos_);
        }
        ++pos_;
        return std::nullopt;
    }

    std::optional<std::string> reference() {
        const std::size_t start = pos_;
        const std::size_t end = text_.find(';', start);
        // The longest valid reference is "&#x10FFFF;" or "&#1114111;" (10
        // characters), with leading zeros allowed: bound the search anyway so
        // that a stray '&' is reported where it is.
        constexpr std::size_t kMaxReference = 32;
        if (end == std::string_view::npos || end - start > kMaxReference) {
            return "'&' that starts no entity or character reference" + at(start);
        }
        const std::string_view name = text_.substr(start + 1, end - start - 1);
        pos_ = end + 1;
        static constexpr std::array<std::string_view, 5> kPredefined{"amp", "lt", "gt", "quot",
                                                                     "apos"};
        for (const auto predefined : kPredefined) {
            if (name == predefined) {
                return std::nullopt;
            }
        }
        if (name.size() < 2 || name[0] != '#') {
            return "unknown entity &" + std::string(name) + ";" + at(start);
        }
        const bool hexadecimal = name[1] == 'x';
        const std::string_view digits = name.substr(hexadecimal ? 2 : 1);
        if (digits.empty()) {
            return "empty character reference" + at(start);
        }
        std::uint32_t code = 0;
        for (const char d : digits) {
            std::uint32_t value = 0;
            if (d >= '0' && d <= '9') {
                value = static_cast<std::uint32_t>(d - '0');
            } else if (hexadecimal && d >= 'a' && d <= 'f') {
                value = static_cast<std::uint32_t>(d - 'a' + 10);
            } else if (hexadecimal && d >= 'A' && d <= 'F') {
                value = static_cast<std::uint32_t>(d - 'A' + 10);
            } else {
                return "invalid character reference &" + std::string(name) + ";" + at(start);
            }
            code = code * (hexadecimal ? 16u : 10u) + value;
            if (code > 0x10FFFF) {
                return "character reference beyond Unicode" + at(start);
            }
        }
        if (!is_xml_char(code)) {
            return "character reference to U+" + hex(code) + ", not allowed in XML" + at(start);
        }
        return std::nullopt;
    }

    static std::string hex(std::uint32_t code) {
        static constexpr std::string_view kDigits = "0123456789ABCDEF";
        std::string out;
        for (int shift = 20; shift >= 0; shift -= 4) {
            out += kDigits[(code >> static_cast<unsigned>(shift)) & 0xFu];
        }
        const auto first = out.find_first_not_of('0');
        return first == std::string::npos || first > 2 ? out.substr(2) : out.substr(first);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> find_text_problem(std::string_view text) {
    return Scanner(text).run();
}

bool is_trailing_misc(std::string_view text) {
    while (true) {
        const auto start = text.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) {
            return true;
        }
        text.remove_prefix(start);
        std::string_view terminator;
        if (text.substr(0, 4) == "<!--") {
            terminator = "-->";
        } else if (text.substr(0, 2) == "<?") {
            terminator = "?>";
        } else {
            return false;
        }
        const auto end = text.find(terminator, 2);
        if (end == std::string_view::npos) {
            return false;
        }
        text.remove_prefix(end + terminator.size());
    }
}

}  // namespace cwmp::xml
