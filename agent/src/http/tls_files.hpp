// Start-up check of the TLS files the agent was configured with. A CA file
// or client certificate that cannot be used would otherwise only show as a
// failed session, again at every retry; checked once, it stops the agent with
// a message naming the file and the problem.
#pragma once

#include <string>

#include "http/http_types.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::http {

// Loads the CA file (at least one certificate), the client certificate chain
// and its key (the key may be in the certificate file), and checks that the
// key belongs to the certificate. Empty settings pass.
phonecwmp::Expected<void, std::string> check_tls_files(const ChannelSettings& settings);

}  // namespace agent::http
