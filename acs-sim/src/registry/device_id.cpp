#include "registry/device_id.hpp"

namespace acssim {

std::string escape_device_id_part(std::string_view part) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(part.size());
    for (const char c : part) {
        const auto byte = static_cast<unsigned char>(c);
        const bool keep = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                          (byte >= '0' && byte <= '9') || byte == '_';
        if (keep) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
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
