// Applies a DesiredConfiguration to one network interface and reads the
// interface back. The controller only knows this interface, so that its
// logic is tested without a kernel (a fake records the calls).
#pragma once

#include <string>

#include "network/interface_configuration.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::network {

class InterfaceConfigurator {
public:
    virtual ~InterfaceConfigurator() = default;

    // One reconciliation: adds what is missing, removes what this
    // configurator added earlier and `desired` no longer lists. The error
    // names the failed operation and the reason; what was done before the
    // failure stays done (the next apply() reconciles again).
    virtual phonecwmp::Expected<void, std::string> apply(const DesiredConfiguration& desired) = 0;

    virtual phonecwmp::Expected<InterfaceState, std::string> read_state() = 0;

    // The interface's kernel name ("eth0").
    virtual const std::string& interface_name() const = 0;
};

}  // namespace agent::network
