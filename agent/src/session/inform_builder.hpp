// Builds the Inform from the data model: DeviceId, events, forced-inform
// parameters (every parameter defined with forcedInform="true").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"

namespace agent {

cwmp::Inform build_inform(const datamodel::Model& model, std::vector<cwmp::EventStruct> events,
                          std::uint32_t retry_count, const std::string& current_time);

// The current UTC time as xsd:dateTime ("2026-11-26T23:05:13Z").
std::string utc_now_iso8601();

}  // namespace agent
