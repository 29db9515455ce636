#include "local_configuration.hpp"

#include "datamodel/path.hpp"

namespace agent {

namespace {
// Meta key recording the value last given locally for a writable parameter.
std::string given_key(const std::string& path) {
    return "local." + path;
}
}  // namespace

phonecwmp::Expected<void, std::vector<datamodel::Error>> apply_local_configuration(
    datamodel::Model& model, const LocalValues& values) {
    datamodel::ChangeSet changes;
    for (const auto& [path, value] : values) {
        const auto* definition = model.definitions().find_parameter(datamodel::template_path(path));
        const bool device_owned =
            definition != nullptr && definition->access == datamodel::Access::ReadOnly;
        if (!device_owned && model.meta(given_key(path)) == value) {
            continue;  // given before: the ACS may have changed it since
        }
        changes.internal_writes.push_back({path, value, std::nullopt});
        if (!device_owned) {
            changes.meta.push_back({given_key(path), value});
        }
    }
    if (changes.internal_writes.empty()) {
        return {};
    }
    return model.apply(changes);
}

}  // namespace agent
