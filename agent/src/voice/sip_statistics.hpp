// Publishes the SIP endpoint's counters (sip::EndpointCounters) as live
// read-only parameters below Device.Services.VoiceService.{i}.SIP.
// X_PHONECWMP_Stats. TR-104 VoiceService:2 has no SIP-level statistics, and
// its CallControl.Line.{i}.Stats presuppose call-control objects the phone's
// definitions do not have, so every figure is a vendor one.
#pragma once

#include <string>
#include <string_view>

#include "datamodel/model.hpp"
#include "phonecwmp/expected.hpp"
#include "sip/sip_endpoint.hpp"

namespace agent::voice {

// The object the counters live in, as a template path.
inline constexpr std::string_view kSipStatisticsObject =
    "Device.Services.VoiceService.{i}.SIP.X_PHONECWMP_Stats.";

// Registers the get hooks. The model keeps them: `endpoint` must outlive
// every read of the model (main() builds both; the model dies last). Fails
// naming the parameters missing from the definitions; the others are
// published all the same.
phonecwmp::Expected<void, std::string> publish_sip_statistics(datamodel::Model& model,
                                                              const sip::SipEndpoint& endpoint);

}  // namespace agent::voice
