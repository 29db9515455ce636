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
    std::uint64_t step = 1;  // valid values are min, min + step, ... (from 0 when min is unset)
};

// One size facet: the length of a string (characters), or of the decoded bytes
// of base64 / hexBinary.
struct LengthRange {
    std::size_t min = 0;
    std::optional<std::size_t> max;
};

// Values taken from another parameter's (list) value, e.g. HTTPCompression
// from HTTPCompressionSupported. `target` is a parameter name relative to the
// parameter's own object; each leading '#' moves up one object.
struct EnumerationRef {
    std::string target;
    std::optional<std::string> null_value;  // also valid when not in the target's list
};

// A reference to other parts of the tree (BBF pathRef): the value (each item
// of a list) is the path of an object or parameter. A strong reference must
// name something that exists, and is cleared when its target is deleted; a
// weak one is only syntax.
struct PathRef {
    enum class Target { Any, Parameter, Object, Single, Row };
    // Where targets may be, as the BBF file writes it ("##.IP.Interface.",
    // ".SIP.Network."); empty means anywhere.
    std::vector<std::string> target_parents;
    Target target_type = Target::Any;
    bool strong = false;
};

// The syntax of a parameter: base type plus facets.
struct Syntax {
    BaseType type = BaseType::String;
    std::optional<std::size_t> min_length;
    std::optional<std::size_t> max_length;
    std::vector<Range> ranges;  // a value is valid when it is inside any range
    std::vector<std::string> enumeration;
    // XML Schema regular expressions as in BBF files (evaluated with
    // PCRE2 after translation), each matched against the whole value;
    // a value is valid when it matches any of them.
    std::vector<std::string> patterns;
    bool hidden = false;  // reads back as its type's null value ("" for strings)
    bool list = false;    // comma-separated list of the base type

    // Additions beyond the first interface:
    // All size facets when there are several (e.g. 0..0 and 6..6: empty or six
    // long); a value must fit one of them. min_length/max_length then hold the
    // envelope. Empty when the type has at most one size facet.
    std::vector<LengthRange> lengths;
    // Enumeration values the device may report but a controller may not set
    // (BBF access="readOnly" on an enumeration value, e.g. "None" of
    // DiagnosticsState).
    std::vector<std::string> read_only_enumeration;
    std::optional<EnumerationRef> enumeration_ref;
    // Facets of the whole list value (list == true only).
    std::size_t list_min_items = 0;
    std::optional<std::size_t> list_max_items;
    std::optional<std::size_t> list_min_length;
    std::optional<std::size_t> list_max_length;
    // A command parameter (BBF command="true"): setting it triggers an action,
    // it is never stored and always reads back as the null value.
    bool command = false;
    // The named data type the syntax came from ("URL", "IPv4Address"), empty
    // for a built-in type.
    std::string data_type;
    std::optional<PathRef> path_ref;
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
    // BBF access="writeOnceReadOnly" (USP Alias parameters): access is
    // ReadWrite and write_once is true. CWMP has no such access (its Alias
    // parameters are readWrite), so a CWMP controller may change it; the flag
    // is kept for documentation.
    bool write_once = false;
};

struct ObjectDefinition {
    std::string path;  // template path ending in '.', e.g. "Device.IP.Interface.{i}."
    Access access = Access::ReadOnly;  // ReadWrite = instances can be added/deleted
    bool multi_instance = false;       // path ends in "{i}."
    std::uint32_t min_entries = 1;
    std::optional<std::uint32_t> max_entries;  // nullopt = unbounded
    // Additions beyond the first interface (tables only):
    std::optional<std::string> num_entries_parameter;  // name in the parent object
    std::optional<std::string> enable_parameter;
    struct UniqueKey {
        bool functional = true;
        std::vector<std::string> parameters;  // names relative to the instance
    };
    std::vector<UniqueKey> unique_keys;
};

// Something in a definitions file that was understood but deliberately not
// loaded (a deleted item, a decimal parameter), with the reason.
struct SkippedItem {
    std::string path;
    std::string reason;
};

struct LoadError {
    std::string file;
    std::string message;
};

// Where the phone's own definitions file (datamodel/definitions/phone-device.xml)
// is installed: <prefix>/share/phonecwmp/phone-device.xml. In the build tree,
// CMake's PHONECWMP_DEFINITIONS_FILE names the source copy.
std::filesystem::path installed_definitions_file();

class Definitions {
public:
    static phonecwmp::Expected<Definitions, LoadError> load_file(const std::filesystem::path& file);
    static phonecwmp::Expected<Definitions, LoadError> load_string(
        std::string_view xml, std::string_view name = "<string>");

    const ParameterDefinition* find_parameter(std::string_view template_path) const;
    const ObjectDefinition* find_object(std::string_view template_path) const;

    // In document order.
    const std::vector<ParameterDefinition>& parameters() const { return parameters_; }
    const std::vector<ObjectDefinition>& objects() const { return objects_; }
    // Items recognised and skipped on purpose, in document order.
    const std::vector<SkippedItem>& skipped() const { return skipped_; }

private:
    std::vector<ParameterDefinition> parameters_;
    std::vector<ObjectDefinition> objects_;
    std::vector<SkippedItem> skipped_;
    std::map<std::string, std::size_t, std::less<>> parameter_index_;
    std::map<std::string, std::size_t, std::less<>> object_index_;
    friend class DefinitionsBuilder;
};

}  // namespace datamodel
