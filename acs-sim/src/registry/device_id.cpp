#include "registry/device_id.hpp"

#include "util/url.hpp"

namespace acssim {

std::string escape_device_id_part(std::string_view part) {
    // GenieACS's rule: letters, digits and '_' stay; everything else,
    // '-' included (it separates the parts), is escaped.
    return percent_encode_except(part, [](unsigned char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

std::string make_device_id(const cwmp::DeviceId& device_id) {
    std::string id = escape_device_id_part(device_id.oui);
    id.push_back('-');
    if (!device_id.product_class.empty()) {
        id += escape_device_id_part(device_id.product_class);
        id.push_back('-');
    }
    id += escape_device_id_part(device_id.serial_number);
    return id;
}

}  // namespace acssim
