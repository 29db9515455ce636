// Per-device credentials (--cpe-credentials FILE): the user name and
// password each CPE authenticates its sessions with, and those acs-sim uses
// for each device's connection request.
//
//   {"default": {"username": "cpe", "password": "secret"},
//    "devices": {
//      "00256D-IPPhone-SN0001": {"username": "phone1", "password": "p1",
//                                "connection_request": {"username": "cr1", "password": "c1"}},
//      "SN0002": {"username": "phone2", "password": "p2"}}}
//
// A device is named by its device id (OUI-ProductClass-SerialNumber, as
// GET /devices shows it) or by its serial number alone; the id wins when
// both name it. "default" (optional) is for devices without an entry of
// their own; without it such devices cannot authenticate. Each part of an
// entry is optional.
//
// A user name must identify one password: HTTP authentication happens
// before the Inform says which device is talking, so the password to check
// is the one of the user name the CPE presents (as GenieACS looks a device's
// password up from the user name of its Authorization). Once the Inform
// arrives, the device it names must be one whose user name that is, so one
// device's credentials never open a session for another.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"

namespace acssim {

struct UserCredentials {
    std::string username;
    std::string password;
    friend bool operator==(const UserCredentials&, const UserCredentials&) = default;
};

struct DeviceCredentials {
    std::optional<UserCredentials> cpe;
    std::optional<UserCredentials> connection_request;
    friend bool operator==(const DeviceCredentials&, const DeviceCredentials&) = default;
};

class CpeCredentials {
public:
    static constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
    static constexpr std::size_t kMaxDevices = 100000;
    // TR-069's ConnectionRequestUsername/Password and HTTP user names: 256.
    static constexpr std::size_t kMaxFieldBytes = 256;

    // The error names the member that is wrong.
    static phonecwmp::Expected<CpeCredentials, std::string> parse(std::string_view text);
    // The error names the file, then the problem.
    static phonecwmp::Expected<CpeCredentials, std::string> load(const std::filesystem::path& file);

    // The credentials the device authenticates with: its own entry (by id,
    // then serial number), else the default; nullptr when neither has any.
    const UserCredentials* cpe_of(std::string_view device_id, std::string_view serial) const;
    // The device's own connection-request credentials, nullptr when none.
    const UserCredentials* connection_request_of(std::string_view device_id,
                                                 std::string_view serial) const;
    // The password of a user name of any entry; nullptr for an unknown name.
    const std::string* password_of(std::string_view username) const;

    const std::optional<UserCredentials>& default_cpe() const { return default_; }
    std::size_t device_count() const { return devices_.size(); }

private:
    const DeviceCredentials* entry_of(std::string_view device_id, std::string_view serial) const;

    std::optional<UserCredentials> default_;
    std::map<std::string, DeviceCredentials, std::less<>> devices_;
    std::map<std::string, std::string, std::less<>> password_by_user_;
};

}  // namespace acssim
