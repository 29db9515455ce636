// Fuzz target of acs-sim's NBI query language and projections
// (acs-sim/src/nbi/query.hpp): the "query" and "projection" parameters of
// GET /devices, /tasks, /faults and of preset preconditions come from any
// NBI client. The input is parsed as both; a parsed query is matched
// against a device document, and a projection must give a part of the
// document that keeps its "_id".
#include <string_view>

#include "fuzz_target.hpp"
#include "nbi/documents.hpp"
#include "nbi/query.hpp"

namespace {

using acssim::Json;
using phonecwmp::fuzz::require;

const Json& device_document() {
    static const Json document = Json::parse(R"({
      "_id": "00256D-IPPhone-SN0001",
      "_deviceId": {"_OUI": "00256D", "_ProductClass": "IPPhone", "_SerialNumber": "SN0001"},
      "_lastInform": "2026-11-27T04:31:38.000Z",
      "_tags": ["lab"],
      "Device": {
        "DeviceInfo": {
          "SerialNumber": {"_value": "SN0001", "_type": "xsd:string", "_writable": false},
          "UpTime": {"_value": 900, "_type": "xsd:unsignedInt", "_writable": false}},
        "ManagementServer": {
          "PeriodicInformEnable": {"_value": true, "_type": "xsd:boolean", "_writable": true},
          "PeriodicInformInterval": {"_value": 300, "_type": "xsd:unsignedInt", "_writable": true}},
        "IP": {"Interface": {"1": {"Enable": {"_value": true, "_type": "xsd:boolean"}}}}}})");
    return document;
}

// Every member of `part` is in `whole` with the same value.
bool is_part_of(const Json& part, const Json& whole) {
    if (!part.is_object() || !whole.is_object()) return part == whole;
    for (const auto& [key, value] : part.items()) {
        const auto found = whole.find(key);
        if (found == whole.end() || !is_part_of(value, *found)) return false;
    }
    return true;
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return acssim::Query::parse(bytes).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = phonecwmp::fuzz::as_text(data, size);
    auto query = acssim::Query::parse(text);
    if (query) {
        query->matches(device_document());
        query->matches(Json::object());
    } else {
        require(!query.error().empty());
    }
    const Json projected = acssim::project(device_document(), acssim::parse_projection(text));
    require(projected.value("_id", "") == device_document()["_id"]);
    require(is_part_of(projected, device_document()));
    return 0;
}
