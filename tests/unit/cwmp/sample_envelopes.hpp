// Envelopes with distinct, non-default values in every field, one or more per
// Body alternative, for round-trip and robustness tests.
#pragma once

#include <string>
#include <vector>

#include "cwmp/messages.hpp"

namespace cwmp::test {

struct Sample {
    std::string name;
    Envelope envelope;
};

// Covers every alternative of cwmp::Body (checked by a test), with and
// without header entries, lists empty and not.
std::vector<Sample> sample_envelopes();

// A header with every entry present.
Header full_header();

}  // namespace cwmp::test
