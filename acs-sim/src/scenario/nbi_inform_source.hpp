// InformSource over a running acs-sim's (or GenieACS's) northbound API.
#pragma once

#include "cli/nbi_client.hpp"
#include "scenario/inform_source.hpp"

namespace acssim::scenario {

struct DocumentInformState {
    InformState state;
    // True when the document listed the Inform's events (acs-sim's
    // `_lastEvents`); GenieACS's documents only tell boots apart.
    bool lists_every_event = false;
};

// The latest Inform as a device document of GET /devices shows it.
DocumentInformState inform_state_of(const Json& device);

class NbiInformSource final : public InformSource {
public:
    explicit NbiInformSource(cli::NbiClient& nbi) : nbi_(nbi) {}

    phonecwmp::Expected<std::optional<InformState>, std::string> latest(
        const std::string& device_id, std::chrono::steady_clock::time_point deadline) override;
    // Known once a device document was read: true for an acs-sim NBI.
    bool sees_every_event() const override { return lists_every_event_; }
    std::string description() const override { return "the NBI at " + nbi_.base_url(); }

private:
    cli::NbiClient& nbi_;
    bool lists_every_event_ = false;
};

}  // namespace acssim::scenario
