#include "cwmp/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace cwmp {

namespace {

constexpr std::size_t kItemsShown = 8;

template <class Item, class Format>
std::string list(const std::vector<Item>& items, Format format) {
    std::string text;
    const std::size_t shown = std::min(items.size(), kItemsShown);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0) text += ", ";
        text += format(items[i]);
    }
    if (items.size() > shown) text += fmt::format(" (+{} more)", items.size() - shown);
    return text;
}

std::string values(const std::vector<ParameterValue>& parameters, const ValueRedactor& redact) {
    return list(parameters, [&](const ParameterValue& parameter) {
        return parameter.name + "=" +
               (redact && redact(parameter.name) ? std::string("<hidden>") : parameter.value);
    });
}

std::string names(const std::vector<std::string>& parameters) {
    return list(parameters, [](const std::string& name) { return name; });
}

struct Details {
    const ValueRedactor& redact;

    std::string operator()(const GetParameterValues& request) const {
        return names(request.parameter_names);
    }
    std::string operator()(const GetParameterValuesResponse& response) const {
        return values(response.parameter_list, redact);
    }
    std::string operator()(const SetParameterValues& request) const {
        return values(request.parameter_list, redact);
    }
    std::string operator()(const SetParameterValuesResponse& response) const {
        return fmt::format("status={}", response.status);
    }
    std::string operator()(const GetParameterNames& request) const {
        return fmt::format("{} next_level={}", request.parameter_path, request.next_level);
    }
    std::string operator()(const GetParameterNamesResponse& response) const {
        return list(response.parameter_list, [](const ParameterInfo& info) {
            return info.name + (info.writable ? " (w)" : "");
        });
    }
    std::string operator()(const AddObject& request) const { return request.object_name; }
    std::string operator()(const AddObjectResponse& response) const {
        return fmt::format("instance={} status={}", response.instance_number, response.status);
    }
    std::string operator()(const DeleteObject& request) const { return request.object_name; }
    std::string operator()(const DeleteObjectResponse& response) const {
        return fmt::format("status={}", response.status);
    }
    std::string operator()(const Reboot& request) const {
        return "command_key=" + request.command_key;
    }
    std::string operator()(const TransferComplete& request) const {
        return fmt::format("command_key={} fault={}", request.command_key,
                           request.fault_struct.fault_code);
    }
    std::string operator()(const Fault& fault) const {
        std::string text = fmt::format("{} {}", fault.fault_code, fault.fault_string);
        if (!fault.set_parameter_values_faults.empty()) {
            text += " [" +
                    list(fault.set_parameter_values_faults,
                         [](const SetParameterValuesFault& entry) {
                             return fmt::format("{} {}", entry.parameter_name, entry.fault_code);
                         }) +
                    "]";
        }
        return text;
    }
    template <class Other>
    std::string operator()(const Other&) const {
        return {};
    }
};

}  // namespace

std::string summarize(const Body& body, const ValueRedactor& redact) {
    std::string text{method_name(body)};
    const std::string details = std::visit(Details{redact}, body);
    if (!details.empty()) text += " " + details;
    return text;
}

}  // namespace cwmp
