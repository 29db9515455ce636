// Pattern facets compiled once per process. BBF patterns use XML Schema
// regular expressions; they are translated to PCRE2 syntax and always matched
// against the whole value. Values come from controllers (ACS, NBI), so every
// match runs under limits: PCRE2 keeps its backtracking state on the heap,
// and the match and heap limits bound what a hostile value can cost.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace datamodel {

class CompiledPattern {
public:
    enum class Outcome {
        Match,
        NoMatch,  // also a value that is not valid UTF-8
        // The match gave up at kMatchLimit or kHeapLimitKiB: the value may or
        // may not match. Callers refuse such a value as not matching.
        LimitExceeded,
    };

    // Steps of PCRE2's matcher (backtracking points) per match, about a
    // millisecond's work: "(x|y)*" over a 4096-character value needs about
    // 8,200, the BBF host-name pattern over 4096 characters about 5,500; a
    // catastrophic pattern such as "(a|aa)*[bc]" over 30 'a's needs 7 million
    // (PCRE2's default limit, 10 million, would let it run to the end).
    static constexpr unsigned kMatchLimit = 100'000;
    // Heap for the matcher's backtracking frames per match: "(x|y)*" over a
    // 4096-character value needs just over 1 MiB, so 1 MiB would refuse long
    // but harmless values; 4 MiB leaves room for bigger group bodies and is
    // freed when the match ends.
    static constexpr unsigned kHeapLimitKiB = 4096;

    struct Impl;
    explicit CompiledPattern(std::unique_ptr<const Impl> impl);
    CompiledPattern(CompiledPattern&&) noexcept;
    CompiledPattern& operator=(CompiledPattern&&) noexcept;
    ~CompiledPattern();

    // Whether the whole of `value` matches. Safe to call from several threads
    // at once: nothing shared is modified.
    Outcome match(std::string_view value) const;

    bool matches(std::string_view value) const { return match(value) == Outcome::Match; }

private:
    std::unique_ptr<const Impl> impl_;
};

// The compiled form of `pattern`, or nullptr with `error` set when the
// pattern uses XML Schema features this library does not support (\i, \c,
// \p{..}, class subtraction), is not XML Schema syntax that PCRE2 would read
// differently ("(?", "a*+", "\b", ...), or does not compile. The pointer stays
// valid for the life of the process.
const CompiledPattern* compiled_pattern(const std::string& pattern, std::string* error = nullptr);

}  // namespace datamodel
