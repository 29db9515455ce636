// Parameter and object definitions, loaded from XML written in a subset of
// the Broadband Forum data-model schema (cwmp-datamodel-1-x.xsd), so that
// BBF-format files load as they are.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/types.hpp"
#include "phonecwmp/expected.hpp"

namespace datamodel {

struct Range {
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
};

// The syntax of a parameter: base type plus facets.
struct Syntax {
    BaseType type = BaseType::String;
    std::optional<std::size_t> min_length;
    std::optional<std::size_t> max_length;
    std::vector<Range> ranges;  // a value is valid when it is inside any range
    std::vector<std::string> enumeration;
    std::vector<std::string> patterns;  // ECMAScript regular expressions, whole-value match
    bool hidden = false;                // reads back as the empty string
    bool list = false;                  // comma-separated list of the base type
};

enum class ActiveNotify { Normal, ForceEnabled, ForceDefaultEnabled, CanDeny };

struct ParameterDefinition {
    // Template path, instance placeholders written "{i}":
    // "Device.ManagementServer.URL", "Device.IP.Interface.{i}.Enable".
    std::string path;
    Access access = Access::ReadOnly;
    Syntax syntax;
    bool forced_inform = false;
    ActiveNotify active_notify = ActiveNotify::Normal;
    std::optional<std::string> factory_default;
    std::optional<std::string> object_default;  // for parameters of new instances
};

struct ObjectDefinition {
    std::string path;  // template path ending in '.', e.g. "Device.IP.Interface.{i}."
    Access access = Access::ReadOnly;  // ReadWrite = instances can be added/deleted
    bool multi_instance = false;       // path ends in "{i}."
    std::uint32_t min_entries = 1;
    std::optional<std::uint32_t> max_entries;  // nullopt = unbounded
};

struct LoadError {
    std::string file;
    std::string message;
};

class Definitions {
public:
    static phonecwmp::Expected<Definitions, LoadError> load_file(const std::filesystem::path& file);
    static phonecwmp::Expected<Definitions, LoadError> load_string(std::string_view xml,
                                                                   std::string_view name = "<string>");

    const ParameterDefinition* find_parameter(std::string_view template_path) const;
    const ObjectDefinition* find_object(std::string_view template_path) const;

    // In document order.
    const std::vector<ParameterDefinition>& parameters() const { return parameters_; }
    const std::vector<ObjectDefinition>& objects() const { return objects_; }

private:
    std::vector<ParameterDefinition> parameters_;
    std::vector<ObjectDefinition> objects_;
    std::map<std::string, std::size_t, std::less<>> parameter_index_;
    std::map<std::string, std::size_t, std::less<>> object_index_;
    friend class DefinitionsBuilder;
};

}  // namespace datamodel
