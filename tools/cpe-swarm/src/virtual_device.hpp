// One simulated phone: its identity and the few parameters it reports and
// lets the ACS read and write.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"

namespace swarm {

struct DeviceIdentity {
    std::string manufacturer = "phonecwmp";
    std::string oui = "00256D";
    std::string product_class = "SwarmPhone";
    std::string serial_prefix = "SWARM";
};

class VirtualDevice {
public:
    VirtualDevice(const DeviceIdentity& identity, unsigned index);

    // The Inform of the device's next session; the first carries
    // "0 BOOTSTRAP" and "1 BOOT", the others "2 PERIODIC".
    cwmp::Inform next_inform();

    // The answer to an ACS request: GetParameterValues and
    // SetParameterValues from the parameter set, a Fault otherwise.
    cwmp::Body answer(const cwmp::Body& request);

    const std::string& serial_number() const { return id_.serial_number; }

private:
    cwmp::DeviceId id_;
    bool booted_ = false;
    // name -> (value, xsi:type)
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> parameters_;
};

}  // namespace swarm
