// Fuzz target of the body of POST /devices/<id>/tasks (acs-sim/src/nbi/
// task_request.hpp), parsed from JSON as the NBI handler does. A task that
// is accepted is stored in the registry's database, so its stored form
// (registry/task_serialization.hpp) must read back as the same task.
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_target.hpp"
#include "nbi/documents.hpp"
#include "nbi/task_request.hpp"
#include "registry/task_serialization.hpp"

namespace {

using acssim::Json;
using phonecwmp::fuzz::require;

// The device cache knows the types of a few parameters, as after an Inform.
std::optional<std::string> cached_type(std::string_view name) {
    if (name == "Device.ManagementServer.PeriodicInformInterval") return "xsd:unsignedInt";
    if (name == "Device.ManagementServer.PeriodicInformEnable") return "xsd:boolean";
    return std::nullopt;
}

phonecwmp::Expected<acssim::TaskSpec, std::string> parse(std::string_view bytes) {
    const Json body = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return phonecwmp::Unexpected(std::string("not JSON"));
    return acssim::parse_task_request(body, cached_type);
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return parse(bytes).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto task = parse(phonecwmp::fuzz::as_text(data, size));
    if (!task) {
        require(!task.error().empty());
        return 0;
    }
    require(!acssim::task_name(*task).empty());
    auto stored = acssim::parse_task_spec(acssim::serialize_task_spec(*task));
    require(stored.has_value() && *stored == *task);
    return 0;
}
