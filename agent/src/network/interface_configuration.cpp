#include "network/interface_configuration.hpp"

namespace agent::network {

std::string to_string(const InterfaceAddress& address) {
    return address.address.to_string() + "/" + std::to_string(address.prefix_length);
}

}  // namespace agent::network
