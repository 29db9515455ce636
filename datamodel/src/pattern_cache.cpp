#include "pattern_cache.hpp"

#include <map>
#include <mutex>
#include <optional>

namespace datamodel {

namespace {

struct CompiledPattern {
    std::optional<std::regex> regex;
    std::string error;
};

// XML Schema regular expressions are implicitly anchored and have no anchor
// characters: '^' and '$' outside a character class are literals there, but
// anchors in ECMAScript, so they are escaped. Constructs with no ECMAScript
// equivalent are refused rather than approximated.
std::optional<std::string> translate(const std::string& pattern, std::string& error) {
    std::string out;
    out.reserve(pattern.size() + 8);
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') {
            if (i + 1 >= pattern.size()) {
                error = "pattern ends with a lone backslash";
                return std::nullopt;
            }
            const char next = pattern[i + 1];
            if (next == 'i' || next == 'I' || next == 'c' || next == 'C' || next == 'p' ||
                next == 'P') {
                error = std::string("pattern uses the XML Schema escape \\") + next +
                        ", which is not supported";
                return std::nullopt;
            }
            out += c;
            out += next;
            ++i;
            continue;
        }
        if (in_class) {
            if (c == '-' && i + 1 < pattern.size() && pattern[i + 1] == '[') {
                error = "pattern uses character class subtraction, which is not supported";
                return std::nullopt;
            }
            if (c == ']') in_class = false;
            out += c;
            continue;
        }
        if (c == '[') {
            in_class = true;
            out += c;
            // A ']' right after '[' or "[^" is a literal in both syntaxes.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
            continue;
        }
        if (c == '^' || c == '$') out += '\\';
        out += c;
    }
    return out;
}

CompiledPattern compile(const std::string& pattern) {
    CompiledPattern result;
    const std::optional<std::string> translated = translate(pattern, result.error);
    if (!translated) return result;
    try {
        result.regex.emplace(*translated, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
        result.error = std::string("pattern does not compile: ") + e.what();
    }
    return result;
}

}  // namespace

const std::regex* compiled_pattern(const std::string& pattern, std::string* error) {
    // The data model is used from one thread, but definitions may be loaded
    // and checked elsewhere (tools, tests): the cache is shared, so guard it.
    static std::mutex mutex;
    static std::map<std::string, CompiledPattern, std::less<>> cache;
    const std::lock_guard lock(mutex);
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, compile(pattern)).first;
    if (!it->second.regex) {
        if (error) *error = it->second.error;
        return nullptr;
    }
    return &*it->second.regex;
}

}  // namespace datamodel
