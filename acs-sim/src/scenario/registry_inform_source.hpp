// InformSource for a scenario run in the same process as the simulator: it
// reads the registry on the server's I/O thread (the only thread that may
// touch it) and waits for the answer at most until the deadline.
#pragma once

#include <boost/asio/io_context.hpp>

#include "registry/registry.hpp"
#include "scenario/inform_source.hpp"

namespace acssim::scenario {

class RegistryInformSource final : public InformSource {
public:
    RegistryInformSource(boost::asio::io_context& io, Registry& registry)
        : io_(io), registry_(registry) {}

    phonecwmp::Expected<std::optional<InformState>, std::string> latest(
        const std::string& device_id, std::chrono::steady_clock::time_point deadline) override;
    bool sees_every_event() const override { return true; }
    std::string description() const override { return "the in-process registry"; }

private:
    boost::asio::io_context& io_;
    Registry& registry_;
};

}  // namespace acssim::scenario
