// The subset of GenieACS's (MongoDB) query language the simulator supports,
// and projections.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nbi/documents.hpp"
#include "phonecwmp/expected.hpp"

namespace acssim {

// A JSON object of field paths and wanted values, all of which must match
// (an implicit AND): {"_id": "X"}, {"Device.DeviceInfo.SerialNumber": "X"},
// {"_deviceId._OUI": "00256D", "name": "reboot"}. A path that reaches a
// device parameter compares its "_value". A string and a number or boolean
// are equal when the string is the other's JSON text ("900" matches 900),
// because GenieACS matches either form. Operators ($gt, $or, ...) are not
// supported and rejected when parsing.
class Query {
public:
    // An empty text matches everything. The error names the problem.
    static phonecwmp::Expected<Query, std::string> parse(std::string_view text);

    bool matches(const Json& document) const;

private:
    std::vector<std::pair<std::string, Json>> conditions_;
};

// "Device.ManagementServer, _lastInform" -> {"Device.ManagementServer", "_lastInform"}.
std::vector<std::string> parse_projection(std::string_view text);

// The document restricted to "_id" and the listed subtrees; paths that do
// not exist are left out. An empty list keeps the whole document.
Json project(const Json& document, const std::vector<std::string>& paths);

}  // namespace acssim
