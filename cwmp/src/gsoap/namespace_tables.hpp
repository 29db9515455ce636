// gSOAP namespace tables: one per cwmp namespace for output, one for input.
#pragma once

#include "cwmp/version.hpp"

struct Namespace;  // gSOAP's namespace table entry (stdsoap2.h)

namespace cwmp::gsoap {

// The table that writes the cwmp prefix as the given namespace.
const ::Namespace* output_namespaces(cwmp::Namespace ns);

// The table that reads every CWMP version: the cwmp entry carries the pattern
// urn:dslforum-org:cwmp-1-* and gSOAP records the URI that matched it (when it
// is not cwmp-1-2 itself) in the "out" field of the context's copy of the table.
const ::Namespace* input_namespaces();

}  // namespace cwmp::gsoap
