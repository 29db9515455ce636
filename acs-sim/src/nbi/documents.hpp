// The JSON documents the NBI returns, shaped like GenieACS's: devices,
// tasks and faults.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "files/file_store.hpp"
#include "registry/device_record.hpp"
#include "registry/task.hpp"

namespace acssim {

using Json = nlohmann::ordered_json;

// Serialises a document for a response. Text from CPEs need not be valid
// UTF-8: bad bytes become U+FFFD instead of failing the request.
std::string to_text(const Json& document);

// A parameter value as GenieACS's NBI shows it: xsd:int, unsignedInt, long
// and unsignedLong as JSON numbers, xsd:boolean as true/false, anything else
// (and any value that does not parse as its type) as the string.
Json typed_value(std::string_view value, std::string_view type);

// {"_id", "_deviceId": {"_Manufacturer", "_OUI", "_ProductClass",
// "_SerialNumber"}, "_registered", "_lastInform", ["_lastBoot"],
// ["_lastBootstrap"], "_lastEvents" (the last Inform's [{"code",
// "commandKey"}], an acs-sim extension), then the parameter tree: every path segment a nested
// object; objects carry "_object": true (plus "_writable" and "_timestamp"
// when known), parameters "_value", "_type", "_timestamp", "_writable" and
// "_notification" when known.
Json device_document(const DeviceRecord& device);

// GenieACS's file document: {"_id": name, "length", "uploadDate",
// "filename": name, "metadata": {"fileType", "oui", "productClass", "version"}}.
Json file_document(const StoredFile& file);

// {"_id", "name", "device", "timestamp", <the task's arguments in GenieACS's
// names>, ["fault", "retries"] once it faulted}.
Json task_document(const Task& task);

// {"_id": "<device>:task_<id>", "device", "channel": "task_<id>", "code",
// "message", "detail", "timestamp", "retries"} for a faulted task.
Json fault_document(const Task& task);

}  // namespace acssim
