#include "pattern_cache.hpp"

// Only 8-bit strings are matched; the header needs the width before it is
// included.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>

namespace datamodel {

struct CompiledPattern::Impl {
    struct CodeFree {
        void operator()(pcre2_code* compiled) const { pcre2_code_free(compiled); }
    };
    struct ContextFree {
        void operator()(pcre2_match_context* context) const { pcre2_match_context_free(context); }
    };

    std::unique_ptr<pcre2_code, CodeFree> code;
    // Never changed after construction, so threads may share it (pcre2_match
    // only reads it).
    std::unique_ptr<pcre2_match_context, ContextFree> limits;
};

namespace {

struct MatchDataFree {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataFree>;

struct CacheEntry {
    std::optional<CompiledPattern> pattern;
    std::string error;
};

// What may not follow a quantifier. A '?' may: PCRE2 reads it as "lazy",
// which changes no whole-value match, and BBF files use it ("[0-9]{1,15}?").
// A '+' would make the quantifier possessive, which does change matches.
bool refused_after_quantifier(char c) {
    return c == '*' || c == '+' || c == '{';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Length of the {n}, {n,} or {n,m} quantifier at pattern[pos], or 0 if there
// is none there.
std::size_t bounds_length(const std::string& pattern, std::size_t pos) {
    std::size_t i = pos + 1;
    const std::size_t first = i;
    while (i < pattern.size() && is_digit(pattern[i])) ++i;
    if (i == first) return 0;
    if (i < pattern.size() && pattern[i] == ',') {
        ++i;
        while (i < pattern.size() && is_digit(pattern[i])) ++i;
    }
    if (i >= pattern.size() || pattern[i] != '}') return 0;
    return i + 1 - pos;
}

// XML Schema escapes PCRE2 reads the same way. Every other escape is refused:
// PCRE2 gives most letters a meaning XML Schema does not (\b is a word
// boundary, \Q starts a literal run, \1 is a back reference).
bool is_xsd_escape(char c) {
    static constexpr std::string_view kSingle = "nrt\\|.?*+(){}-[]^";
    static constexpr std::string_view kMulti = "sSdDwW";
    return kSingle.find(c) != std::string_view::npos || kMulti.find(c) != std::string_view::npos;
}

// XML Schema regular expressions are implicitly anchored and have no anchor
// characters: '^' and '$' outside a character class are literals there, but
// anchors in PCRE2, so they are escaped. XML Schema's '.' excludes CR as well
// as LF, whatever newline convention PCRE2 was built with. Constructs with no
// PCRE2 equivalent are refused rather than approximated, and so is anything
// XML Schema calls an error but PCRE2 gives a meaning: group options and
// verbs ("(?", "(*"), possessive quantifiers, POSIX classes.
std::optional<std::string> translate(const std::string& pattern, std::string& error) {
    std::string out;
    out.reserve(pattern.size() + 8);
    bool in_class = false;
    bool after_quantifier = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        const bool follows_quantifier = after_quantifier;
        after_quantifier = false;
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
            if (!is_xsd_escape(next)) {
                error =
                    std::string("pattern uses \\") + next + ", which is not an XML Schema escape";
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
            if (c == '[') {
                error = "pattern has an unescaped '[' inside a character class";
                return std::nullopt;
            }
            if (c == ']') in_class = false;
            out += c;
            continue;
        }
        if (follows_quantifier && refused_after_quantifier(c)) {
            error = "pattern has a quantifier right after another one";
            return std::nullopt;
        }
        if (c == '(' && i + 1 < pattern.size() &&
            (pattern[i + 1] == '?' || pattern[i + 1] == '*')) {
            error = std::string("pattern has '(' followed by '") + pattern[i + 1] +
                    "', which is not XML Schema syntax";
            return std::nullopt;
        }
        if (c == '{') {
            const std::size_t length = bounds_length(pattern, i);
            if (length == 0) {
                error = "pattern has a '{' that does not start a {n,m} quantifier";
                return std::nullopt;
            }
            out.append(pattern, i, length);
            i += length - 1;
            after_quantifier = true;
            continue;
        }
        if (c == '?' || c == '*' || c == '+') after_quantifier = true;
        if (c == '[') {
            in_class = true;
            out += c;
            // A ']' right after '[' or "[^" is a literal for PCRE2, as the old
            // translation relied on.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
            continue;
        }
        if (c == '.') {
            out += "[^\\n\\r]";
            continue;
        }
        if (c == '^' || c == '$') out += '\\';
        out += c;
    }
    return out;
}

std::string pcre2_message(int code) {
    std::array<PCRE2_UCHAR, 256> buffer{};
    if (pcre2_get_error_message(code, buffer.data(), buffer.size()) < 0) {
        return "error " + std::to_string(code);
    }
    return reinterpret_cast<const char*>(buffer.data());
}

CacheEntry compile(const std::string& pattern) {
    CacheEntry result;
    const std::optional<std::string> translated = translate(pattern, result.error);
    if (!translated) return result;

    // ANCHORED and ENDANCHORED: XML Schema patterns match the whole value.
    // UTF without MATCH_INVALID_UTF: pcre2_match then refuses a subject that
    // is not valid UTF-8 as a whole, whereas with MATCH_INVALID_UTF PCRE2
    // 10.42's interpreter lets ".*" plus ENDANCHORED accept "ab\xff". No UCP,
    // so \d and \w stay ASCII as BBF values expect. No captures: XML Schema
    // has no back references, and captures only make frames bigger.
    constexpr std::uint32_t kOptions = PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF |
                                       PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C |
                                       PCRE2_NO_AUTO_CAPTURE;
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    auto impl = std::make_unique<CompiledPattern::Impl>();
    impl->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated->data()),
                                   translated->size(), kOptions, &error_code, &error_offset,
                                   nullptr));
    if (!impl->code) {
        result.error = "pattern does not compile: " + pcre2_message(error_code);
        return result;
    }
    // JIT is only faster, not required: where it is unavailable (not built
    // in, or executable memory refused) the interpreter does the same work.
    (void)pcre2_jit_compile(impl->code.get(), PCRE2_JIT_COMPLETE);

    impl->limits.reset(pcre2_match_context_create(nullptr));
    if (!impl->limits) {
        result.error = "out of memory compiling the pattern";
        return result;
    }
    pcre2_set_match_limit(impl->limits.get(), CompiledPattern::kMatchLimit);
    pcre2_set_heap_limit(impl->limits.get(), CompiledPattern::kHeapLimitKiB);
    result.pattern.emplace(std::move(impl));
    return result;
}

}  // namespace

CompiledPattern::CompiledPattern(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
CompiledPattern::CompiledPattern(CompiledPattern&&) noexcept = default;
CompiledPattern& CompiledPattern::operator=(CompiledPattern&&) noexcept = default;
CompiledPattern::~CompiledPattern() = default;

CompiledPattern::Outcome CompiledPattern::match(std::string_view value) const {
    // Per call rather than per pattern: patterns are shared between threads,
    // and match data is written by every match.
    const MatchData data(pcre2_match_data_create(1, nullptr));
    if (!data) return Outcome::LimitExceeded;
    // PCRE2 10.42 refuses a null subject even when it is empty.
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(value.empty() ? "" : value.data());
    int rc = pcre2_match(impl_->code.get(), subject, value.size(), 0, 0, data.get(),
                         impl_->limits.get());
    // JIT code runs on a fixed 32 KiB stack, which long values with repeated
    // groups outgrow; the interpreter keeps its frames on the heap, under
    // kHeapLimitKiB.
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        rc = pcre2_match(impl_->code.get(), subject, value.size(), 0, PCRE2_NO_JIT, data.get(),
                         impl_->limits.get());
    }
    if (rc >= 0) return Outcome::Match;
    switch (rc) {
        case PCRE2_ERROR_MATCHLIMIT:
        case PCRE2_ERROR_HEAPLIMIT:
        case PCRE2_ERROR_DEPTHLIMIT:
        case PCRE2_ERROR_NOMEMORY:
        case PCRE2_ERROR_JIT_STACKLIMIT:
            return Outcome::LimitExceeded;
        default:
            // PCRE2_ERROR_NOMATCH, and the UTF-8 errors of a value that is
            // not a string of characters.
            return Outcome::NoMatch;
    }
}

const CompiledPattern* compiled_pattern(const std::string& pattern, std::string* error) {
    // The data model is used from one thread, but definitions may be loaded
    // and checked elsewhere (tools, tests): the cache is shared, so guard it.
    // Matching happens outside the lock: compiled patterns are immutable.
    static std::mutex mutex;
    static std::map<std::string, CacheEntry, std::less<>> cache;
    const std::lock_guard lock(mutex);
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, compile(pattern)).first;
    if (!it->second.pattern) {
        if (error) *error = it->second.error;
        return nullptr;
    }
    return &*it->second.pattern;
}

}  // namespace datamodel
