#include "voice/sip_statistics.hpp"

#include <cstdint>

#include "sip/endpoint_counters.hpp"

namespace agent::voice {
namespace {

// The endpoint serves VoiceService.1 only (see SipServiceController).
constexpr std::string_view kServedInstance = "Device.Services.VoiceService.1.";

struct Statistic {
    std::string_view name;
    std::uint64_t (*read)(const sip::EndpointCounters&);
};

constexpr Statistic kStatistics[] = {
    {"RequestsReceived", [](const sip::EndpointCounters& c) { return c.requests_received; }},
    {"ResponsesSent", [](const sip::EndpointCounters& c) { return c.responses_sent; }},
    {"ResponsesIgnored", [](const sip::EndpointCounters& c) { return c.responses_ignored; }},
    {"MalformedDropped", [](const sip::EndpointCounters& c) { return c.malformed_dropped; }},
    {"DroppedRequests", [](const sip::EndpointCounters& c) { return c.dropped_requests(); }},
    {"RestrictedDomainsDropped",
     [](const sip::EndpointCounters& c) { return c.restricted_dropped; }},
    {"SourceFilterDropped", [](const sip::EndpointCounters& c) { return c.source_filter_dropped; }},
    {"OverloadDropped", [](const sip::EndpointCounters& c) { return c.overload_dropped; }},
    {"StrayACKs", [](const sip::EndpointCounters& c) { return c.stray_acks; }},
    {"ChallengesSent", [](const sip::EndpointCounters& c) { return c.challenges_sent; }},
    {"AuthRefused", [](const sip::EndpointCounters& c) { return c.auth_refused; }},
    {"CallsAnswered", [](const sip::EndpointCounters& c) { return c.calls_answered; }},
    {"CallsRefusedBusy", [](const sip::EndpointCounters& c) { return c.calls_refused_busy; }},
    {"CallsCancelled", [](const sip::EndpointCounters& c) { return c.calls_cancelled; }},
    {"CallsEnded", [](const sip::EndpointCounters& c) { return c.calls_ended; }},
    {"AnswersUnacknowledged",
     [](const sip::EndpointCounters& c) { return c.answers_unacknowledged; }},
};

}  // namespace

phonecwmp::Expected<void, std::string> publish_sip_statistics(datamodel::Model& model,
                                                              const sip::SipEndpoint& endpoint) {
    std::string missing;
    for (const Statistic& statistic : kStatistics) {
        const auto template_path = std::string(kSipStatisticsObject) + std::string(statistic.name);
        auto registered = model.register_parameter(
            template_path, {.get =
                                [&endpoint, read = statistic.read](const std::string& path) {
                                    if (!path.starts_with(kServedInstance)) {
                                        return std::string("0");
                                    }
                                    return std::to_string(read(endpoint.counters()));
                                },
                            .validate = {}});
        if (!registered) {
            missing += (missing.empty() ? "" : ", ") + template_path;
        }
    }
    if (!missing.empty()) {
        return phonecwmp::Unexpected("not in the definitions: " + missing);
    }
    return {};
}

}  // namespace agent::voice
