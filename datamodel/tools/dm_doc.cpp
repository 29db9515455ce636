#include "dm_doc.hpp"

#include <sstream>
#include <string_view>
#include <vector>

namespace datamodel::doc {
namespace {

// Text for a Markdown table cell: pipes escaped, line breaks flattened.
std::string cell(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string code(std::string_view text) {
    if (text.empty()) return "`\"\"`";
    return "`" + cell(text) + "`";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string size_text(std::optional<std::size_t> min, std::optional<std::size_t> max) {
    const std::size_t low = min.value_or(0);
    if (max && low == *max) return std::to_string(low);
    if (max) return (low ? std::to_string(low) : "") + ".." + std::to_string(*max);
    if (low) return std::to_string(low) + "..";
    return "";
}

std::string type_text(const Syntax& syntax) {
    std::string text(to_string(syntax.type));
    std::string size;
    if (!syntax.lengths.empty()) {
        std::vector<std::string> alternatives;
        for (const LengthRange& length : syntax.lengths) {
            alternatives.push_back(size_text(length.min, length.max));
        }
        size = join(alternatives, " or ");
    } else {
        size = size_text(syntax.min_length, syntax.max_length);
    }
    if (!size.empty()) text += "(" + size + ")";
    if (!syntax.ranges.empty()) {
        std::vector<std::string> ranges;
        for (const Range& range : syntax.ranges) {
            std::string r = (range.min ? std::to_string(*range.min) : "") + ".." +
                            (range.max ? std::to_string(*range.max) : "");
            if (range.step != 1) r += " step " + std::to_string(range.step);
            ranges.push_back(r);
        }
        text += " [" + join(ranges, ", ") + "]";
    }
    if (!syntax.data_type.empty()) text += " (" + syntax.data_type + ")";
    if (syntax.list) {
        std::string facets;
        const std::string items = size_text(
            syntax.list_min_items, syntax.list_max_items ? syntax.list_max_items : std::nullopt);
        if (!items.empty()) facets += items + " items";
        const std::string length = size_text(syntax.list_min_length, syntax.list_max_length);
        if (!length.empty()) {
            if (!facets.empty()) facets += ", ";
            facets += length + " chars";
        }
        text = "list of " + text + (facets.empty() ? "" : " (" + facets + ")");
    }
    std::string out = cell(text);
    if (!syntax.enumeration.empty() || !syntax.read_only_enumeration.empty()) {
        std::vector<std::string> values;
        for (const std::string& value : syntax.enumeration) values.push_back(code(value));
        for (const std::string& value : syntax.read_only_enumeration) {
            values.push_back(code(value) + " (reported only)");
        }
        out += "; one of " + join(values, ", ");
    }
    if (syntax.enumeration_ref) {
        out += "; one of the values of " + code(syntax.enumeration_ref->target);
        if (syntax.enumeration_ref->null_value) {
            out += " or " + code(*syntax.enumeration_ref->null_value);
        }
    }
    if (!syntax.patterns.empty()) {
        std::vector<std::string> patterns;
        for (const std::string& pattern : syntax.patterns) patterns.push_back(code(pattern));
        out += "; matching " + join(patterns, " or ");
    }
    return out;
}

std::string flags_text(const ParameterDefinition& parameter) {
    std::vector<std::string> flags;
    if (parameter.forced_inform) flags.emplace_back("forcedInform");
    switch (parameter.active_notify) {
        case ActiveNotify::Normal:
            break;
        case ActiveNotify::ForceEnabled:
            flags.emplace_back("activeNotify=forceEnabled");
            break;
        case ActiveNotify::ForceDefaultEnabled:
            flags.emplace_back("activeNotify=forceDefaultEnabled");
            break;
        case ActiveNotify::CanDeny:
            flags.emplace_back("activeNotify=canDeny");
            break;
    }
    if (parameter.syntax.hidden) flags.emplace_back("hidden");
    if (parameter.syntax.command) flags.emplace_back("command");
    if (parameter.write_once) flags.emplace_back("writeOnce");
    return join(flags, ", ");
}

std::string access_text(const ParameterDefinition& parameter) {
    return parameter.access == Access::ReadWrite ? "W" : "R";
}

std::string default_text(const ParameterDefinition& parameter, bool in_instance) {
    if (parameter.syntax.command) return "";
    if (in_instance && parameter.object_default) return code(*parameter.object_default);
    if (parameter.factory_default) return code(*parameter.factory_default);
    return "";
}

std::string object_line(const ObjectDefinition& object) {
    std::string line;
    if (object.multi_instance) {
        line = "Table, ";
        line += object.access == Access::ReadWrite ? "the controller may add and delete instances"
                                                   : "instances are the device's own";
        line += "; " + std::to_string(object.min_entries) + ".." +
                (object.max_entries ? std::to_string(*object.max_entries) : "") + " entries";
        if (object.num_entries_parameter) {
            line += ", counted by `" + *object.num_entries_parameter + "`";
        }
        for (const ObjectDefinition::UniqueKey& key : object.unique_keys) {
            line += std::string("; ") + (key.functional ? "unique key" : "unique key (alias)") +
                    " " + join(key.parameters, "+");
        }
    } else {
        line = "Single object";
    }
    return line + ".";
}

}  // namespace

std::string render_markdown(const Definitions& definitions, const FactorySettings* factory,
                            const std::string& sources) {
    std::ostringstream out;
    std::size_t vendor = 0;
    for (const ParameterDefinition& parameter : definitions.parameters()) {
        if (parameter.path.find(".X_") != std::string::npos) ++vendor;
    }
    out << "# Data model reference\n\n"
        << "<!-- Generated by phonecwmp-dm-doc from " << sources
        << ". Do not edit: run `cmake --build <build-dir> --target datamodel-doc`. -->\n\n"
        << definitions.objects().size() << " objects, " << definitions.parameters().size()
        << " parameters (" << vendor << " vendor-specific, prefix `X_PHONECWMP_`).\n\n"
        << "Columns: **Access** R read-only, W writable by the ACS. **Flags**: "
           "`forcedInform` (in every Inform), `activeNotify` (how the ACS may set "
           "notification), `hidden` (always reads back as the empty value), `command` "
           "(setting it triggers an action), `writeOnce`. **Default**: the factory default, "
           "or for parameters of table instances the value a new instance starts with; "
           "the factory settings at the end override both.\n";
    for (const ObjectDefinition& object : definitions.objects()) {
        out << "\n## " << object.path << "\n\n" << object_line(object) << "\n\n";
        const bool in_instance = object.path.find("{i}") != std::string::npos;
        std::vector<const ParameterDefinition*> parameters;
        for (const ParameterDefinition& parameter : definitions.parameters()) {
            const std::string_view path = parameter.path;
            if (path.size() > object.path.size() && path.starts_with(object.path) &&
                path.find('.', object.path.size()) == std::string_view::npos) {
                parameters.push_back(&parameter);
            }
        }
        if (parameters.empty()) {
            out << "No parameters of its own.\n";
            continue;
        }
        out << "| Parameter | Type | Access | Flags | Default |\n"
            << "|---|---|---|---|---|\n";
        for (const ParameterDefinition* parameter : parameters) {
            out << "| `" << parameter->path.substr(object.path.size()) << "` | "
                << type_text(parameter->syntax) << " | " << access_text(*parameter) << " | "
                << flags_text(*parameter) << " | " << default_text(*parameter, in_instance)
                << " |\n";
        }
    }
    if (factory) {
        out << "\n## Factory settings\n\n"
            << "Instances and values a new store starts with (in this order), from the "
               "factory file.\n\n"
            << "| Instance or parameter | Value |\n|---|---|\n";
        for (const FactoryEntry& entry : factory->entries) {
            if (entry.kind == FactoryEntry::Kind::Instance) {
                out << "| `" << cell(entry.path) << "` | (instance) |\n";
            } else {
                out << "| `" << cell(entry.path) << "` | " << code(entry.value) << " |\n";
            }
        }
    }
    return out.str();
}

}  // namespace datamodel::doc
