// InformSource over a running acs-sim's (or GenieACS's) northbound API.
#pragma once

#include "cli/nbi_client.hpp"
#include "scenario/inform_source.hpp"

namespace acssim::scenario {

class NbiInformSource final : public InformSource {
public:
    explicit NbiInformSource(cli::NbiClient& nbi) : nbi_(nbi) {}

    phonecwmp::Expected<std::optional<InformState>, std::string> latest(
        const std::string& device_id, std::chrono::steady_clock::time_point deadline) override;
    bool sees_every_event() const override { return false; }
    std::string description() const override { return "the NBI at " + nbi_.base_url(); }

private:
    cli::NbiClient& nbi_;
};

}  // namespace acssim::scenario
