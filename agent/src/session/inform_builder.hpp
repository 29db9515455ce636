// Builds the Inform from the data model: DeviceId, events, and the
// ParameterList: the forced-inform parameters (every parameter defined with
// forcedInform="true"), the parameters the ACS asked for in
// ManagementServer.InformParameter.{i} for these events, and the changed
// values notification reports. Each parameter appears once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"

namespace agent {

cwmp::Inform build_inform(const datamodel::Model& model, std::vector<cwmp::EventStruct> events,
                          std::uint32_t retry_count, const std::string& current_time,
                          const std::vector<cwmp::ParameterValue>& changed_values = {});

// The parameters ManagementServer.InformParameter.{i} adds to an Inform with
// these events (TR-181: enabled entries whose EventList names one of the
// events; an empty EventList means every event but "4 VALUE CHANGE").
// Entries naming nothing that exists are skipped.
std::vector<cwmp::ParameterValue> requested_inform_parameters(
    const datamodel::Model& model, const std::vector<cwmp::EventStruct>& events);

// The current UTC time as xsd:dateTime ("2026-11-26T23:05:13Z").
std::string utc_now_iso8601();

}  // namespace agent
