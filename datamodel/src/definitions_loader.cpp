// Reads definitions written in a subset of the Broadband Forum data-model
// schema (cwmp-datamodel-1-x.xsd), so that the BBF's own flattened ("full")
// CWMP files load as they are.
//
// Supported: <document> with <dataType> definitions (named, derived with
// base=, list data types) and <model> elements holding <object> and
// <parameter> definitions; object access, minEntries, maxEntries,
// numEntriesParameter, enableParameter and uniqueKey; parameter access
// (writeOnceReadOnly = writable once), forcedInform, activeNotify; syntax
// hidden/secured/command, <list> (minItems, maxItems, size), the built-in
// types, <dataType ref|base> with extra facets, and the facets size, range
// (with step), enumeration (with access="readOnly"), pattern and
// enumerationRef; <default type="factory"|"object">.
//
// Skipped on purpose (recognised, not loaded):
// - descriptions, templates, bibliography, glossary, abbreviations, profiles
//   and version attributes: documentation and conformance statements, not
//   behaviour;
// - <import> and top-level <component> definitions: a full file has them
//   flattened already (a dataType that was only imported is reported as
//   unknown when used);
// - USP <command> and <event> elements, which CWMP cannot express;
// - the facets units (informative) and instanceRef (pathRef is loaded: the
//   tree checks strong references), and
//   <default type="implementation"|"parameter">, which are informative;
// - items with status="deleted", and parameters of base type decimal, which
//   TR-069 has no wire type for: both are listed in Definitions::skipped().
//
// Refused with an error (so that nothing goes missing by accident): unknown
// elements or types, references to <component>s inside a model, models or
// objects or parameters that modify earlier ones (base=), and patterns that
// need XML Schema regular-expression features PCRE2 lacks.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "datamodel/definitions.hpp"
#include "datamodel/path.hpp"
#include "datamodel/value_syntax.hpp"
#include "definitions_builder.hpp"

namespace datamodel {

namespace {

// Raised inside the loader and turned into a LoadError at its boundary.
struct LoadFailure {
    pugi::xml_node node;
    std::string message;
};

[[noreturn]] void fail(pugi::xml_node node, std::string message) {
    throw LoadFailure{node, std::move(message)};
}

// A <size> whose minLength exceeds its maxLength admits no value at all.
void check_length_order(pugi::xml_node size, std::size_t min, std::optional<std::size_t> max) {
    if (max && min > *max) {
        fail(size, "size minLength " + std::to_string(min) + " is greater than maxLength " +
                       std::to_string(*max));
    }
}

// Element names without their namespace prefix ("dm:document" -> "document").
std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool bool_attribute(pugi::xml_node node, const char* name, bool fallback) {
    const pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute) return fallback;
    const std::string_view value = attribute.value();
    if (value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    fail(node, std::string("attribute ") + name + "='" + std::string(value) + "' is not a boolean");
}

template <class Integer>
Integer integer_attribute(pugi::xml_node node, const char* name, Integer fallback) {
    const pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute) return fallback;
    const std::string_view text = attribute.value();
    Integer value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        fail(node, std::string("attribute ") + name + "='" + std::string(text) +
                       "' is not a valid integer for this attribute");
    }
    return value;
}

// maxEntries / maxItems: a number or "unbounded".
std::optional<std::uint32_t> max_attribute(pugi::xml_node node, const char* name,
                                           std::optional<std::uint32_t> fallback) {
    const pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute) return fallback;
    if (std::string_view(attribute.value()) == "unbounded") return std::nullopt;
    return integer_attribute<std::uint32_t>(node, name, 0);
}

bool is_deleted(pugi::xml_node node) {
    return std::string_view(node.attribute("status").value()) == "deleted";
}

bool valid_name_segment(std::string_view segment) {
    if (segment.empty()) return false;
    const auto is_alpha = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    };
    if (!is_alpha(segment.front())) return false;
    return std::all_of(segment.begin(), segment.end(), [&is_alpha](char c) {
        return is_alpha(c) || (c >= '0' && c <= '9') || c == '-';
    });
}

enum class FacetKind { Size, Range, Enumeration, Pattern, EnumerationRef };

bool is_integer(BaseType type) {
    return type == BaseType::UnsignedInt || type == BaseType::Int ||
           type == BaseType::UnsignedLong || type == BaseType::Long;
}

// A resolved named data type. `unsupported` is set when the type rests on a
// base type this library does not load (decimal); parameters using it are
// skipped with that reason.
struct ResolvedType {
    Syntax syntax;
    std::string unsupported;
};

class Loader {
public:
    Loader(std::string_view xml, std::string name) : xml_(xml), name_(std::move(name)) {}

    phonecwmp::Expected<Definitions, LoadError> run() {
        pugi::xml_document document;
        const pugi::xml_parse_result parsed = document.load_buffer(
            xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            return phonecwmp::Unexpected(
                LoadError{name_, "line " + std::to_string(line_of(parsed.offset)) +
                                     ": malformed XML: " + parsed.description()});
        }
        try {
            load_document(document.document_element());
        } catch (const LoadFailure& failure) {
            std::string where;
            if (failure.node) {
                where = "line " + std::to_string(line_of(failure.node.offset_debug())) + ": <" +
                        failure.node.name() + ">";
                const char* item_name = failure.node.attribute("name").value();
                if (*item_name == '\0') item_name = failure.node.attribute("ref").value();
                if (*item_name != '\0') where += " '" + std::string(item_name) + "'";
                where += ": ";
            }
            return phonecwmp::Unexpected(LoadError{name_, where + failure.message});
        }
        return std::move(builder_).build();
    }

private:
    std::size_t line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 1;
        const std::size_t end = std::min(static_cast<std::size_t>(offset), xml_.size());
        return 1 + static_cast<std::size_t>(std::count(
                       xml_.begin(), xml_.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    }

    void load_document(pugi::xml_node root) {
        if (!root || local_name(root) != "document") {
            fail(root, "the root element must be a data-model <document>");
        }
        // Data types first, wherever they appear, so that models may use
        // types defined after them.
        for (pugi::xml_node child : root.children()) {
            if (child.type() == pugi::node_element && local_name(child) == "dataType") {
                const std::string name = child.attribute("name").value();
                if (name.empty()) fail(child, "dataType without a name");
                if (!data_type_nodes_.emplace(name, child).second) {
                    fail(child, "dataType '" + name + "' is defined twice");
                }
            }
        }
        bool has_model = false;
        for (pugi::xml_node child : root.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = local_name(child);
            if (name == "model") {
                load_model(child);
                has_model = true;
            } else if (name == "dataType") {
                resolve_data_type(child.attribute("name").value(), child);
            } else if (name != "description" && name != "import" && name != "bibliography" &&
                       name != "template" && name != "glossary" && name != "abbreviations" &&
                       name != "component") {
                fail(child, "unsupported element in <document>");
            }
        }
        if (!has_model) fail(root, "the document defines no <model>");
    }

    void load_model(pugi::xml_node model) {
        if (model.attribute("base")) {
            fail(model, "models that extend another model (base=) are not supported");
        }
        for (pugi::xml_node child : model.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = local_name(child);
            if (name == "object") {
                load_object(child);
            } else if (name == "parameter") {
                load_parameter(child, "");
            } else if (name == "component") {
                fail(child, "component references are not supported: use a flattened (full) file");
            } else if (name != "description" && name != "profile") {
                fail(child, "unsupported element in <model>");
            }
        }
    }

    void load_object(pugi::xml_node node) {
        if (node.attribute("base")) {
            fail(node, "objects that modify an earlier definition (base=) are not supported");
        }
        ObjectDefinition object;
        object.path = node.attribute("name").value();
        check_object_name(node, object.path);
        if (is_deleted(node) || under_deleted_object(object.path)) {
            deleted_objects_.push_back(object.path);
            builder_.skip(object.path, "status deleted");
            return;
        }
        const std::string_view access = node.attribute("access").value();
        if (access == "readWrite") {
            object.access = Access::ReadWrite;
        } else if (access.empty() || access == "readOnly") {
            object.access = Access::ReadOnly;
        } else {
            fail(node, "unknown object access '" + std::string(access) + "'");
        }
        object.min_entries = integer_attribute<std::uint32_t>(node, "minEntries", 1);
        object.max_entries = max_attribute(node, "maxEntries", 1);
        object.multi_instance =
            object.path.size() >= 4 && object.path.compare(object.path.size() - 4, 4, "{i}.") == 0;
        const bool table = object.max_entries != std::optional<std::uint32_t>(1);
        if (table != object.multi_instance) {
            fail(node, table ? "a table (maxEntries other than 1) must have a name ending in {i}."
                             : "a name ending in {i}. needs maxEntries other than 1");
        }
        if (object.max_entries && object.min_entries > *object.max_entries) {
            fail(node, "minEntries is greater than maxEntries");
        }
        if (const char* value = node.attribute("numEntriesParameter").value(); *value) {
            object.num_entries_parameter = value;
        }
        if (const char* value = node.attribute("enableParameter").value(); *value) {
            object.enable_parameter = value;
        }
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = local_name(child);
            if (name == "uniqueKey") {
                ObjectDefinition::UniqueKey key;
                key.functional = bool_attribute(child, "functional", true);
                for (pugi::xml_node parameter : child.children()) {
                    if (parameter.type() != pugi::node_element) continue;
                    if (local_name(parameter) != "parameter") {
                        fail(parameter, "unsupported element in <uniqueKey>");
                    }
                    key.parameters.emplace_back(parameter.attribute("ref").value());
                }
                object.unique_keys.push_back(std::move(key));
            } else if (name == "component") {
                fail(child, "component references are not supported: use a flattened (full) file");
            } else if (name != "parameter" && name != "description" && name != "command" &&
                       name != "event") {
                fail(child, "unsupported element in <object>");
            }
        }
        const std::string path = object.path;
        // "X." cannot be both a single object and the table of "X.{i}.".
        if (object.multi_instance) {
            const std::string table_path = path.substr(0, path.size() - 4);
            if (single_paths_.count(table_path)) {
                fail(node, "'" + path + "' clashes with the single object '" + table_path + "'");
            }
            table_paths_.insert(table_path);
        } else {
            if (table_paths_.count(path)) {
                fail(node, "'" + path + "' clashes with the table '" + path + "{i}.'");
            }
            single_paths_.insert(path);
        }
        if (!builder_.add_object(std::move(object))) {
            fail(node, "object '" + path + "' is defined twice");
        }
        for (pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_element && local_name(child) == "parameter") {
                load_parameter(child, path);
            }
        }
    }

    void check_object_name(pugi::xml_node node, const std::string& path) {
        std::vector<std::string_view> segments;
        if (path.empty() || path.back() != '.' || !split_path(path, segments)) {
            fail(node, "object name '" + path + "' is not a path ending in '.'");
        }
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const bool placeholder = segments[i] == "{i}";
            if (placeholder ? i == 0 || segments[i - 1] == "{i}"
                            : !valid_name_segment(segments[i])) {
                fail(node, "object name '" + path + "' has an invalid segment '" +
                               std::string(segments[i]) + "'");
            }
        }
    }

    bool under_deleted_object(std::string_view path) const {
        return std::any_of(deleted_objects_.begin(), deleted_objects_.end(),
                           [path](const std::string& deleted) {
                               return path.substr(0, deleted.size()) == deleted;
                           });
    }

    void load_parameter(pugi::xml_node node, const std::string& object_path) {
        if (node.attribute("base")) {
            fail(node, "parameters that modify an earlier definition (base=) are not supported");
        }
        ParameterDefinition parameter;
        const std::string name = node.attribute("name").value();
        if (!valid_name_segment(name)) fail(node, "invalid parameter name '" + name + "'");
        parameter.path = object_path + name;
        if (is_deleted(node)) {
            builder_.skip(parameter.path, "status deleted");
            return;
        }
        const std::string_view access = node.attribute("access").value();
        if (access == "readWrite") {
            parameter.access = Access::ReadWrite;
        } else if (access == "writeOnceReadOnly") {
            parameter.access = Access::ReadWrite;
            parameter.write_once = true;
        } else if (access.empty() || access == "readOnly") {
            parameter.access = Access::ReadOnly;
        } else {
            fail(node, "unknown parameter access '" + std::string(access) + "'");
        }
        parameter.forced_inform = bool_attribute(node, "forcedInform", false);
        const std::string_view notify = node.attribute("activeNotify").value();
        if (notify.empty() || notify == "normal") {
            parameter.active_notify = ActiveNotify::Normal;
        } else if (notify == "forceEnabled") {
            parameter.active_notify = ActiveNotify::ForceEnabled;
        } else if (notify == "forceDefaultEnabled") {
            parameter.active_notify = ActiveNotify::ForceDefaultEnabled;
        } else if (notify == "canDeny") {
            parameter.active_notify = ActiveNotify::CanDeny;
        } else {
            fail(node, "unknown activeNotify '" + std::string(notify) + "'");
        }

        pugi::xml_node syntax_node;
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view child_name = local_name(child);
            if (child_name == "syntax") {
                if (syntax_node) fail(child, "parameter has two <syntax> elements");
                syntax_node = child;
            } else if (child_name != "description") {
                fail(child, "unsupported element in <parameter>");
            }
        }
        if (!syntax_node) fail(node, "parameter has no <syntax>");
        std::string unsupported;
        if (!load_syntax(syntax_node, parameter, unsupported)) {
            builder_.skip(parameter.path, unsupported);
            return;
        }
        const std::string path = parameter.path;
        if (!builder_.add_parameter(std::move(parameter))) {
            fail(node, "parameter '" + path + "' is defined twice");
        }
    }

    // Fills parameter.syntax and defaults. Returns false (with the reason)
    // for parameters of a base type this library does not load.
    bool load_syntax(pugi::xml_node node, ParameterDefinition& parameter,
                     std::string& unsupported) {
        Syntax& syntax = parameter.syntax;
        const bool secured = bool_attribute(node, "secured", false);
        const bool command = bool_attribute(node, "command", false);
        // CWMP gives a controller no right to read secured values, and a
        // command parameter always reads as its null value: all three read
        // back like hidden ones.
        const bool hidden = bool_attribute(node, "hidden", false) || secured || command;

        pugi::xml_node list_node;
        bool has_type = false;
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = local_name(child);
            if (name == "list") {
                if (has_type || list_node) fail(child, "<list> must come once, before the type");
                list_node = child;
            } else if (name == "dataType") {
                if (has_type) fail(child, "syntax has two types");
                has_type = true;
                std::string type_name = child.attribute("ref").value();
                if (type_name.empty()) type_name = child.attribute("base").value();
                if (type_name.empty()) fail(child, "<dataType> needs a ref or base attribute");
                const ResolvedType& resolved = resolve_data_type(type_name, child);
                if (!resolved.unsupported.empty()) {
                    unsupported = resolved.unsupported;
                    return false;
                }
                syntax = resolved.syntax;
                syntax.data_type = type_name;
                apply_facets(syntax, child, true);
            } else if (name == "default") {
                continue;  // read below, once the syntax is known
            } else {
                if (has_type) fail(child, "syntax has two types");
                has_type = true;
                if (name == "decimal") {
                    unsupported = "base type decimal is not supported";
                    return false;
                }
                syntax = builtin_syntax(child);
            }
        }
        if (!has_type) fail(node, "syntax has no type");
        if (list_node) apply_list(syntax, list_node);
        syntax.hidden = hidden;
        syntax.command = command;

        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element || local_name(child) != "default") continue;
            const std::string_view type = child.attribute("type").value();
            const pugi::xml_attribute value = child.attribute("value");
            if (!value) fail(child, "<default> without a value");
            std::optional<std::string>* target = nullptr;
            if (type == "factory") {
                target = &parameter.factory_default;
            } else if (type == "object") {
                target = &parameter.object_default;
            } else if (type == "implementation" || type == "parameter") {
                continue;  // informative only
            } else {
                fail(child, "unknown default type '" + std::string(type) + "'");
            }
            const auto checked = check_value(syntax, value.value(), WriteOrigin::Device);
            const bool is_null_of_reference = syntax.enumeration_ref &&
                                              syntax.enumeration_ref->null_value &&
                                              *syntax.enumeration_ref->null_value == value.value();
            if (!checked && !is_null_of_reference) {
                fail(child, "default value '" + std::string(value.value()) +
                                "' does not fit the syntax: " + checked.error());
            }
            *target = checked ? *checked : std::string(value.value());
        }
        return true;
    }

    Syntax builtin_syntax(pugi::xml_node node) {
        const std::string_view name = local_name(node);
        const std::optional<BaseType> type = base_type_from_string(name);
        if (!type) fail(node, "unknown type <" + std::string(name) + ">");
        Syntax syntax;
        syntax.type = *type;
        apply_facets(syntax, node, false);
        return syntax;
    }

    void apply_list(Syntax& syntax, pugi::xml_node node) {
        syntax.list = true;
        syntax.list_min_items = integer_attribute<std::size_t>(node, "minItems", 0);
        const std::optional<std::uint32_t> max_items =
            max_attribute(node, "maxItems", std::nullopt);
        syntax.list_max_items = max_items ? std::optional<std::size_t>(*max_items) : std::nullopt;
        if (syntax.list_max_items && syntax.list_min_items > *syntax.list_max_items) {
            fail(node, "list minItems " + std::to_string(syntax.list_min_items) +
                           " is greater than maxItems " + std::to_string(*syntax.list_max_items));
        }
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = local_name(child);
            if (name == "size") {
                const std::size_t min = integer_attribute<std::size_t>(child, "minLength", 0);
                syntax.list_min_length = min > 0 ? std::optional<std::size_t>(min) : std::nullopt;
                if (child.attribute("maxLength")) {
                    syntax.list_max_length = integer_attribute<std::size_t>(child, "maxLength", 0);
                    check_length_order(child, min, syntax.list_max_length);
                }
            } else if (name != "description") {
                fail(child, "unsupported element in <list>");
            }
        }
    }

    // Applies the facets among `node`'s children to `syntax`. Facets of a
    // kind replace those the base type had, except enumerations, which a
    // derived type extends (cwmp-datamodel: "Derived types MAY add
    // additional enumeration values").
    void apply_facets(Syntax& syntax, pugi::xml_node node, bool derived,
                      bool in_data_type = false) {
        std::vector<LengthRange> sizes;
        std::vector<Range> ranges;
        std::vector<std::string> enumeration;
        std::vector<std::string> read_only_enumeration;
        std::vector<std::string> patterns;
        std::set<FacetKind> seen;
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = local_name(child);
            if (name == "size") {
                require(child, syntax.type == BaseType::String || syntax.type == BaseType::Base64 ||
                                   syntax.type == BaseType::HexBinary);
                seen.insert(FacetKind::Size);
                LengthRange range;
                range.min = integer_attribute<std::size_t>(child, "minLength", 0);
                if (child.attribute("maxLength")) {
                    range.max = integer_attribute<std::size_t>(child, "maxLength", 0);
                }
                check_length_order(child, range.min, range.max);
                sizes.push_back(range);
            } else if (name == "range") {
                require(child, is_integer(syntax.type));
                seen.insert(FacetKind::Range);
                Range range;
                if (child.attribute("minInclusive")) {
                    range.min = integer_attribute<std::int64_t>(child, "minInclusive", 0);
                }
                if (child.attribute("maxInclusive")) {
                    range.max = integer_attribute<std::int64_t>(child, "maxInclusive", 0);
                }
                range.step = integer_attribute<std::uint64_t>(child, "step", 1);
                if (range.step == 0) fail(child, "range step must be positive");
                // A range that admits no value is a mistake in the file, even
                // where other <range> facets of the union admit some.
                if (range.min && range.max && *range.min > *range.max) {
                    fail(child, "range minInclusive " + std::to_string(*range.min) +
                                    " is greater than maxInclusive " + std::to_string(*range.max));
                }
                ranges.push_back(range);
            } else if (name == "enumeration") {
                require(child, syntax.type == BaseType::String);
                seen.insert(FacetKind::Enumeration);
                if (is_deleted(child)) continue;
                const pugi::xml_attribute value = child.attribute("value");
                if (!value) fail(child, "<enumeration> without a value");
                enumeration.emplace_back(value.value());
                if (std::string_view(child.attribute("access").value()) == "readOnly") {
                    read_only_enumeration.emplace_back(value.value());
                }
            } else if (name == "pattern") {
                require(child, syntax.type == BaseType::String);
                seen.insert(FacetKind::Pattern);
                if (is_deleted(child)) continue;
                const std::string value = child.attribute("value").value();
                if (const std::optional<std::string> error = check_pattern(value)) {
                    fail(child, *error);
                }
                patterns.push_back(value);
            } else if (name == "enumerationRef") {
                require(child, syntax.type == BaseType::String);
                seen.insert(FacetKind::EnumerationRef);
                EnumerationRef reference;
                reference.target = child.attribute("targetParam").value();
                if (reference.target.empty()) fail(child, "<enumerationRef> needs targetParam");
                if (const pugi::xml_attribute null_value = child.attribute("nullValue")) {
                    reference.null_value = null_value.value();
                }
                syntax.enumeration_ref = std::move(reference);
            } else if (name == "pathRef") {
                require(child, syntax.type == BaseType::String);
                syntax.path_ref = read_path_ref(child);
            } else if (name == "instanceRef") {
                require(child,
                        syntax.type == BaseType::Int || syntax.type == BaseType::UnsignedInt);
            } else if (name == "units") {
                require(child, is_integer(syntax.type));
            } else if (name == "list" && in_data_type) {
                continue;  // a list data type: read by resolve_data_type
            } else if (name != "description") {
                fail(child, "unknown facet <" + std::string(name) + ">");
            }
        }
        if (seen.count(FacetKind::Size)) {
            syntax.lengths.clear();
            std::size_t min = sizes.front().min;
            std::optional<std::size_t> max = sizes.front().max;
            for (const LengthRange& range : sizes) {
                min = std::min(min, range.min);
                max = max && range.max ? std::optional(std::max(*max, *range.max)) : std::nullopt;
            }
            syntax.min_length = min > 0 ? std::optional(min) : std::nullopt;
            syntax.max_length = max;
            if (sizes.size() > 1) syntax.lengths = std::move(sizes);
        }
        if (seen.count(FacetKind::Range)) syntax.ranges = std::move(ranges);
        if (seen.count(FacetKind::Pattern)) syntax.patterns = std::move(patterns);
        if (seen.count(FacetKind::Enumeration)) {
            if (!derived) syntax.enumeration.clear();
            for (std::string& value : enumeration) {
                if (std::find(syntax.enumeration.begin(), syntax.enumeration.end(), value) ==
                    syntax.enumeration.end()) {
                    syntax.enumeration.push_back(std::move(value));
                }
            }
            for (std::string& value : read_only_enumeration) {
                syntax.read_only_enumeration.push_back(std::move(value));
            }
        }
    }

    static PathRef read_path_ref(pugi::xml_node facet) {
        PathRef reference;
        const std::string_view ref_type = facet.attribute("refType").value();
        if (ref_type == "strong") {
            reference.strong = true;
        } else if (!ref_type.empty() && ref_type != "weak") {
            fail(facet, "unknown refType '" + std::string(ref_type) + "'");
        }
        const std::string_view target_type = facet.attribute("targetType").value();
        if (target_type.empty() || target_type == "any") {
            reference.target_type = PathRef::Target::Any;
        } else if (target_type == "parameter") {
            reference.target_type = PathRef::Target::Parameter;
        } else if (target_type == "object") {
            reference.target_type = PathRef::Target::Object;
        } else if (target_type == "single") {
            reference.target_type = PathRef::Target::Single;
        } else if (target_type == "row") {
            reference.target_type = PathRef::Target::Row;
        } else {
            fail(facet, "unknown targetType '" + std::string(target_type) + "'");
        }
        std::string_view parents = facet.attribute("targetParent").value();
        while (!parents.empty()) {
            const std::size_t space = parents.find(' ');
            if (space != 0) reference.target_parents.emplace_back(parents.substr(0, space));
            if (space == std::string_view::npos) break;
            parents.remove_prefix(space + 1);
        }
        return reference;
    }

    void require(pugi::xml_node facet, bool applicable) {
        if (!applicable) {
            fail(facet,
                 "facet <" + std::string(local_name(facet)) + "> does not apply to this type");
        }
    }

    const ResolvedType& resolve_data_type(const std::string& name, pugi::xml_node user) {
        if (const auto it = resolved_types_.find(name); it != resolved_types_.end()) {
            return it->second;
        }
        const auto node_it = data_type_nodes_.find(name);
        if (node_it == data_type_nodes_.end()) {
            fail(user, "unknown dataType '" + name + "' (types from <import> are not followed)");
        }
        if (!resolving_.insert(name).second) {
            fail(user, "dataType '" + name + "' is defined in terms of itself");
        }
        const pugi::xml_node node = node_it->second;
        ResolvedType resolved;
        const std::string base = node.attribute("base").value();
        pugi::xml_node list_node;
        bool has_type = !base.empty();
        if (!base.empty()) {
            resolved = resolve_data_type(base, node);
            if (resolved.unsupported.empty()) apply_facets(resolved.syntax, node, true, true);
        }
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view child_name = local_name(child);
            if (child_name == "list") {
                list_node = child;
            } else if (child_name == "description" || !base.empty()) {
                continue;  // with base=, the children are facets, applied above
            } else {
                if (has_type) fail(child, "dataType has two types");
                has_type = true;
                if (child_name == "decimal") {
                    resolved.unsupported =
                        "base type decimal (dataType " + name + ") is not supported";
                } else {
                    resolved.syntax = builtin_syntax(child);
                }
            }
        }
        if (!has_type) fail(node, "dataType '" + name + "' has no type");
        if (list_node && resolved.unsupported.empty()) apply_list(resolved.syntax, list_node);
        resolving_.erase(name);
        return resolved_types_.emplace(name, std::move(resolved)).first->second;
    }

    std::string_view xml_;
    std::string name_;
    DefinitionsBuilder builder_;
    std::map<std::string, pugi::xml_node> data_type_nodes_;
    std::map<std::string, ResolvedType> resolved_types_;
    std::set<std::string> resolving_;
    std::vector<std::string> deleted_objects_;
    std::set<std::string> table_paths_;   // "Device.IP.Interface." of each table
    std::set<std::string> single_paths_;  // each single-instance object
};

}  // namespace

phonecwmp::Expected<Definitions, LoadError> Definitions::load_string(std::string_view xml,
                                                                     std::string_view name) {
    return Loader(xml, std::string(name)).run();
}

phonecwmp::Expected<Definitions, LoadError> Definitions::load_file(
    const std::filesystem::path& file) {
    std::ifstream stream(file, std::ios::binary);
    if (!stream) return phonecwmp::Unexpected(LoadError{file.string(), "cannot open the file"});
    std::ostringstream content;
    content << stream.rdbuf();
    if (stream.bad())
        return phonecwmp::Unexpected(LoadError{file.string(), "cannot read the file"});
    const std::string xml = std::move(content).str();
    return Loader(xml, file.string()).run();
}

}  // namespace datamodel
