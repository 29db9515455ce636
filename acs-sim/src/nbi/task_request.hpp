// The body of POST /devices/<id>/tasks, GenieACS-style, into a task.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "nbi/documents.hpp"
#include "phonecwmp/expected.hpp"
#include "registry/task.hpp"

namespace acssim {

// The xsi:type the device's cache knows for a parameter, if any.
using CachedTypeLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Accepted task bodies:
//   {"name": "getParameterValues", "parameterNames": ["A.B", ...]}
//   {"name": "setParameterValues", "parameterValues": [["A.B", value, "xsd:type"], ...]}
//   {"name": "refreshObject", "objectName": "A.B."}   ("" is the whole tree)
//   {"name": "addObject", "objectName": "A.B."}
//   {"name": "deleteObject", "objectName": "A.B.1."}
//   {"name": "reboot"}, {"name": "factoryReset"}
//   {"name": "download", "file": "<name in the file store>",
//    "fileType": "3 Vendor Configuration File" (optional), "targetFileName": "x" (optional)}
//     the file itself (URL, size, the stored fileType when none is given)
//     is resolved by the caller, which knows the file store.
// A setParameterValues entry's type is optional: without it the cached
// parameter's type is used when the cache knows one, else it is inferred
// from the JSON value (boolean -> xsd:boolean, integer -> xsd:int, or
// xsd:unsignedInt / xsd:long / xsd:unsignedLong when out of int's range,
// anything else -> xsd:string). Values are not checked against their type:
// sending a CPE a bad value is a legitimate test. Other members of the body
// are ignored. The error names what is wrong.
phonecwmp::Expected<TaskSpec, std::string> parse_task_request(const Json& body,
                                                              const CachedTypeLookup& cached_type);

}  // namespace acssim
