#include "cli/client_commands.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cli/nbi_client.hpp"
#include "cli/task_completion.hpp"
#include "cli/text_table.hpp"

namespace acssim::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kDone = 0;
constexpr int kFailed = 1;
constexpr int kBadArguments = 2;

std::string text_of(const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string member_text(const Json& object, const char* name) {
    if (!object.is_object() || !object.contains(name)) return {};
    return text_of(object[name]);
}

// The node at a dotted path ("Device.DeviceInfo" or "Device.DeviceInfo.").
const Json* find_node(const Json& document, std::string_view path) {
    if (path.ends_with('.')) path.remove_suffix(1);
    const Json* node = &document;
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string segment{path.substr(0, dot)};
        if (!node->is_object() || !node->contains(segment)) return nullptr;
        node = &(*node)[segment];
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    return node;
}

// Every cached leaf under `node`, in the document's order.
void add_leaves(const Json& node, const std::string& path, TextTable& table) {
    if (!node.is_object()) return;
    if (node.contains("_value")) {
        table.add_row({path, text_of(node["_value"]), member_text(node, "_type"),
                       member_text(node, "_timestamp")});
        return;
    }
    for (const auto& [key, child] : node.items()) {
        if (key.starts_with('_')) continue;
        add_leaves(child, path.empty() ? key : path + "." + key, table);
    }
}

bool checked_url(const ClientOptions& options, std::ostream& err) {
    if (auto valid = NbiClient::check_base_url(options.nbi_url); !valid) {
        err << "acs-sim: " << valid.error() << '\n';
        return false;
    }
    return true;
}

HttpClientLimits client_limits(const ClientOptions& options) {
    // A connection request may keep the NBI's answer waiting a few seconds.
    HttpClientLimits limits;
    limits.timeout = std::max(options.timeout, std::chrono::milliseconds{15000});
    return limits;
}

// Exit status 1 with the reason when the device is unknown.
bool device_known(NbiClient& nbi, const std::string& device_id, std::ostream& err) {
    auto devices = nbi.devices(Json{{"_id", device_id}}, "_id");
    if (!devices) {
        err << "acs-sim: " << devices.error() << '\n';
        return false;
    }
    if (devices->empty()) {
        err << "acs-sim: no device " << device_id << " at " << nbi.base_url()
            << " (`acs-sim devices` lists them)\n";
        return false;
    }
    return true;
}

void print_note(std::ostream& err, const std::string& note) {
    err << "acs-sim: note: " << note << '\n';
}

}  // namespace

int devices_command(const ClientOptions& options, const std::string& query_text, std::ostream& out,
                    std::ostream& err) {
    if (!checked_url(options, err)) return kBadArguments;
    Json query = Json::object();
    if (!query_text.empty()) {
        try {
            query = Json::parse(query_text);
        } catch (const Json::exception& error) {  // parse_error, or out_of_range: 1e999
            err << "acs-sim: --query is not JSON: " << error.what() << '\n';
            return kBadArguments;
        }
        if (!query.is_object()) {
            err << "acs-sim: --query must be a JSON object such as "
                   "{\"_deviceId._SerialNumber\": \"SN1\"}\n";
            return kBadArguments;
        }
    }
    NbiClient nbi(options.nbi_url, client_limits(options));
    auto devices = nbi.devices(query, "_id,_deviceId,_lastInform,_lastBoot");
    if (!devices) {
        err << "acs-sim: " << devices.error() << '\n';
        return kFailed;
    }
    TextTable table({"DEVICE", "OUI", "PRODUCT CLASS", "SERIAL", "LAST INFORM", "LAST BOOT"});
    for (const auto& device : *devices) {
        const Json identity = device.value("_deviceId", Json::object());
        table.add_row({member_text(device, "_id"), member_text(identity, "_OUI"),
                       member_text(identity, "_ProductClass"),
                       member_text(identity, "_SerialNumber"), member_text(device, "_lastInform"),
                       member_text(device, "_lastBoot")});
    }
    table.print(out);
    out << fmt::format("{} device{}\n", table.rows(), table.rows() == 1 ? "" : "s");
    return kDone;
}

int get_command(const ClientOptions& options, const std::string& device_id,
                const std::vector<std::string>& paths, bool cached, std::ostream& out,
                std::ostream& err) {
    if (!checked_url(options, err)) return kBadArguments;
    for (const auto& path : paths) {
        if (path.empty() || path.front() == '.' || path.find("..") != std::string::npos) {
            err << "acs-sim: '" << path << "' is not a parameter path\n";
            return kBadArguments;
        }
    }
    NbiClient nbi(options.nbi_url, client_limits(options));
    if (!device_known(nbi, device_id, err)) return kFailed;
    if (!cached) {
        TaskRunOptions task_options;
        task_options.delete_unfinished = true;
        const Json task = {{"name", "getParameterValues"}, {"parameterNames", paths}};
        auto result = run_task(nbi, device_id, task, Clock::now() + options.timeout, task_options,
                               [&](const std::string& note) { print_note(err, note); });
        if (!result) {
            err << "acs-sim: " << result.error() << '\n';
            return kFailed;
        }
        if (!result->fault.is_null()) {
            err << "acs-sim: the device refused: " << describe_fault(result->fault) << '\n';
            return kFailed;
        }
    }
    std::string projection;
    for (const auto& path : paths) {
        if (!projection.empty()) projection += ',';
        projection += path.ends_with('.') ? path.substr(0, path.size() - 1) : path;
    }
    auto devices = nbi.devices(Json{{"_id", device_id}}, projection);
    if (!devices) {
        err << "acs-sim: " << devices.error() << '\n';
        return kFailed;
    }
    if (devices->empty()) {
        err << "acs-sim: device " << device_id << " was deleted meanwhile\n";
        return kFailed;
    }
    const Json& device = (*devices)[0];
    TextTable table({"PARAMETER", "VALUE", "TYPE", "UPDATED"});
    std::vector<std::string> unknown;
    for (const auto& path : paths) {
        const Json* node = find_node(device, path);
        const auto before = table.rows();
        if (node != nullptr) {
            add_leaves(*node, path.ends_with('.') ? path.substr(0, path.size() - 1) : path, table);
        }
        if (table.rows() == before) unknown.push_back(path);
    }
    table.print(out);
    for (const auto& path : unknown) {
        err << "acs-sim: " << path
            << (cached ? " is not in the cache (run without --cached to ask the device)\n"
                       : " has no value in the device's answer\n");
    }
    return unknown.empty() ? kDone : kFailed;
}

int set_command(const ClientOptions& options, const std::string& device_id,
                const std::vector<std::string>& assignments, std::ostream& out, std::ostream& err) {
    if (!checked_url(options, err)) return kBadArguments;
    Json values = Json::array();
    TextTable table({"PARAMETER", "VALUE"});
    for (const auto& assignment : assignments) {
        const auto equals = assignment.find('=');
        const std::string path = assignment.substr(0, equals);
        if (equals == std::string::npos || path.empty() || path.ends_with('.')) {
            err << "acs-sim: '" << assignment
                << "' is not PATH=VALUE with PATH a parameter (not an object)\n";
            return kBadArguments;
        }
        const std::string value = assignment.substr(equals + 1);
        values.push_back(Json::array({path, value}));
        table.add_row({path, value});
    }
    NbiClient nbi(options.nbi_url, client_limits(options));
    if (!device_known(nbi, device_id, err)) return kFailed;
    TaskRunOptions task_options;
    // The device may come later: a set is still wanted then.
    task_options.delete_unfinished = false;
    const Json task = {{"name", "setParameterValues"}, {"parameterValues", values}};
    auto result = run_task(nbi, device_id, task, Clock::now() + options.timeout, task_options,
                           [&](const std::string& note) { print_note(err, note); });
    if (!result) {
        err << "acs-sim: " << result.error() << '\n';
        return kFailed;
    }
    if (!result->fault.is_null()) {
        err << "acs-sim: the device refused: " << describe_fault(result->fault) << '\n';
        return kFailed;
    }
    table.print(out);
    out << fmt::format("{} parameter{} set on {}\n", table.rows(), table.rows() == 1 ? "" : "s",
                       device_id);
    return kDone;
}

}  // namespace acssim::cli
