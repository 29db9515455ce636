#include "auth/cpe_credentials.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace acssim {

namespace {

using nlohmann::json;
using phonecwmp::Unexpected;

// Lookups avoid nlohmann's iterators, in which GCC 12 sees a false null
// dereference (as in nbi/task_request.cpp).
phonecwmp::Expected<void, std::string> only_members(const json& object, std::string_view where,
                                                    std::initializer_list<std::string_view> known) {
    for (const auto& item : object.items()) {
        bool found = false;
        for (const auto name : known) found = found || item.key() == name;
        if (!found) {
            return Unexpected(fmt::format("{}: unknown member \"{}\"", where, item.key()));
        }
    }
    return {};
}

phonecwmp::Expected<UserCredentials, std::string> user_credentials(const json& value,
                                                                   const std::string& where) {
    if (!value.is_object()) {
        return Unexpected(where + " must be an object {\"username\": ..., \"password\": ...}");
    }
    if (auto known = only_members(value, where, {"username", "password"}); !known) {
        return Unexpected(known.error());
    }
    UserCredentials credentials;
    for (const auto* field : {"username", "password"}) {
        if (!value.contains(field) || !value[field].is_string()) {
            return Unexpected(fmt::format("{}.{} must be a string", where, field));
        }
        const auto& text = value[field].get_ref<const std::string&>();
        if (text.size() > CpeCredentials::kMaxFieldBytes) {
            return Unexpected(fmt::format("{}.{} is longer than {} bytes", where, field,
                                          CpeCredentials::kMaxFieldBytes));
        }
        (std::string_view{field} == "username" ? credentials.username : credentials.password) =
            text;
    }
    if (credentials.username.empty()) return Unexpected(where + ".username must not be empty");
    return credentials;
}

}  // namespace

phonecwmp::Expected<CpeCredentials, std::string> CpeCredentials::parse(std::string_view text) {
    if (text.size() > kMaxFileBytes) {
        return Unexpected(fmt::format("larger than {} bytes", kMaxFileBytes));
    }
    json document;
    try {
        document = json::parse(text);
    } catch (const json::exception& error) {  // parse_error, or out_of_range: 1e999
        return Unexpected(std::string{"not valid JSON: "} + error.what());
    }
    if (!document.is_object()) {
        return Unexpected(std::string{"must be a JSON object with \"default\" and/or \"devices\""});
    }
    if (auto known = only_members(document, "the file", {"default", "devices"}); !known) {
        return Unexpected(known.error());
    }
    CpeCredentials result;
    // Every user name with the entry that gave it its password, to name
    // both when another entry gives it a different one.
    std::map<std::string, std::string, std::less<>> owner_by_user;
    auto claim = [&](const UserCredentials& credentials,
                     const std::string& where) -> phonecwmp::Expected<void, std::string> {
        auto [known, added] =
            result.password_by_user_.emplace(credentials.username, credentials.password);
        if (added) {
            owner_by_user.emplace(credentials.username, where);
        } else if (known->second != credentials.password) {
            return Unexpected(fmt::format(
                "{} and {} give user name \"{}\" different passwords; a user name must "
                "identify one password (it is checked before the Inform names the device)",
                owner_by_user.at(credentials.username), where, credentials.username));
        }
        return {};
    };

    if (document.contains("default")) {
        auto credentials = user_credentials(document["default"], "\"default\"");
        if (!credentials) return Unexpected(credentials.error());
        if (auto ok = claim(*credentials, "\"default\""); !ok) return Unexpected(ok.error());
        result.default_ = std::move(*credentials);
    }
    if (document.contains("devices")) {
        const json& devices = document["devices"];
        if (!devices.is_object()) {
            return Unexpected(
                std::string{"\"devices\" must be an object keyed by device id or "
                            "serial number"});
        }
        if (devices.size() > kMaxDevices) {
            return Unexpected(fmt::format("\"devices\" has more than {} entries", kMaxDevices));
        }
        for (const auto& item : devices.items()) {
            const std::string where = fmt::format("devices[\"{}\"]", item.key());
            if (item.key().empty()) return Unexpected(std::string{"devices: an empty key"});
            const json& entry = item.value();
            if (!entry.is_object()) return Unexpected(where + " must be an object");
            if (auto known =
                    only_members(entry, where, {"username", "password", "connection_request"});
                !known) {
                return Unexpected(known.error());
            }
            DeviceCredentials device;
            if (entry.contains("username") || entry.contains("password")) {
                json own = json::object();
                if (entry.contains("username")) own["username"] = entry["username"];
                if (entry.contains("password")) own["password"] = entry["password"];
                auto credentials = user_credentials(own, where);
                if (!credentials) return Unexpected(credentials.error());
                if (auto ok = claim(*credentials, where); !ok) return Unexpected(ok.error());
                device.cpe = std::move(*credentials);
            }
            if (entry.contains("connection_request")) {
                auto credentials =
                    user_credentials(entry["connection_request"], where + ".connection_request");
                if (!credentials) return Unexpected(credentials.error());
                device.connection_request = std::move(*credentials);
            }
            result.devices_.emplace(item.key(), std::move(device));
        }
    }
    return result;
}

phonecwmp::Expected<CpeCredentials, std::string> CpeCredentials::load(
    const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Unexpected(fmt::format("{}: cannot be read", file.string()));
    std::string text;
    // One byte more than allowed tells a file that is too large.
    text.resize(kMaxFileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return Unexpected(fmt::format("{}: read error", file.string()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto parsed = parse(text);
    if (!parsed) return Unexpected(fmt::format("{}: {}", file.string(), parsed.error()));
    return parsed;
}

const DeviceCredentials* CpeCredentials::entry_of(std::string_view device_id,
                                                  std::string_view serial) const {
    if (auto found = devices_.find(device_id); found != devices_.end()) return &found->second;
    if (serial.empty()) return nullptr;
    if (auto found = devices_.find(serial); found != devices_.end()) return &found->second;
    return nullptr;
}

const UserCredentials* CpeCredentials::cpe_of(std::string_view device_id,
                                              std::string_view serial) const {
    const auto* entry = entry_of(device_id, serial);
    if (entry != nullptr && entry->cpe) return &*entry->cpe;
    return default_ ? &*default_ : nullptr;
}

const UserCredentials* CpeCredentials::connection_request_of(std::string_view device_id,
                                                             std::string_view serial) const {
    const auto* entry = entry_of(device_id, serial);
    if (entry != nullptr && entry->connection_request) return &*entry->connection_request;
    return nullptr;
}

const std::string* CpeCredentials::password_of(std::string_view username) const {
    auto found = password_by_user_.find(username);
    return found == password_by_user_.end() ? nullptr : &found->second;
}

}  // namespace acssim
