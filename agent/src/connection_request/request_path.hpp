// The random path of the ConnectionRequestURL. Knowing the URL is the first
// barrier against unsolicited requests (TR-069 §3.2.2), so it is
// unguessable, and it is kept in the store so that the URL the ACS knows
// survives a restart.
#pragma once

#include <string>
#include <string_view>

#include "datamodel/model.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::connection_request {

inline constexpr std::string_view kPathMetaKey = "agent.connection_request_path";

// "/" then 22 URL-safe characters (128 random bits from OpenSSL RAND_bytes).
std::string random_path();

// The stored path, or a new one stored now (also when the stored one is not
// a path random_path() could have made).
phonecwmp::Expected<std::string, std::string> load_or_create_path(datamodel::Model& model);

}  // namespace agent::connection_request
