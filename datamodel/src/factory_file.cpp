// Parsing of the factory file (format in datamodel/factory.hpp).
#include <algorithm>
#include <fstream>
#include <iterator>
#include <pugixml.hpp>
#include <sstream>
#include <utility>

#include "datamodel/factory.hpp"

namespace datamodel {
namespace {

constexpr std::string_view kNamespace = "urn:phonecwmp:factory-1-0";

class FactoryParser {
public:
    FactoryParser(std::string_view xml, std::string name) : xml_(xml), name_(std::move(name)) {}

    phonecwmp::Expected<FactorySettings, LoadError> run() {
        pugi::xml_document document;
        const pugi::xml_parse_result parsed = document.load_buffer(
            xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            return fail(line_of(parsed.offset),
                        std::string("malformed XML: ") + parsed.description());
        }
        const pugi::xml_node root = document.document_element();
        if (std::string_view(root.name()) != "factory") {
            return fail(line_of(root.offset_debug()), "the root element must be <factory>");
        }
        if (std::string_view(root.attribute("xmlns").value()) != kNamespace) {
            return fail(line_of(root.offset_debug()),
                        "<factory> must declare xmlns=\"" + std::string(kNamespace) + "\"");
        }
        FactorySettings settings;
        settings.file = name_;
        for (const pugi::xml_node child : root.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = child.name();
            if (name == "instance") {
                if (auto added = instance(child, settings); !added) {
                    return phonecwmp::Unexpected(added.error());
                }
            } else if (name == "value") {
                auto entry = value(child, "");
                if (!entry) return phonecwmp::Unexpected(entry.error());
                settings.entries.push_back(std::move(*entry));
            } else {
                return fail(
                    line_of(child.offset_debug()),
                    "unknown element <" + std::string(name) + "> (expected <instance> or <value>)");
            }
        }
        return settings;
    }

private:
    phonecwmp::Unexpected<LoadError> fail(std::size_t line, std::string message) const {
        return phonecwmp::Unexpected(
            LoadError{name_, "line " + std::to_string(line) + ": " + std::move(message)});
    }

    std::size_t line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 1;
        const std::size_t end = std::min(static_cast<std::size_t>(offset), xml_.size());
        return 1 + static_cast<std::size_t>(std::count(
                       xml_.begin(), xml_.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    }

    phonecwmp::Expected<void, LoadError> instance(pugi::xml_node node,
                                                  FactorySettings& settings) const {
        const std::size_t line = line_of(node.offset_debug());
        for (const pugi::xml_attribute attribute : node.attributes()) {
            if (std::string_view(attribute.name()) != "path") {
                return fail(line, "unknown attribute '" + std::string(attribute.name()) +
                                      "' of <instance>");
            }
        }
        const std::string path = node.attribute("path").value();
        if (path.empty() || path.back() != '.') {
            return fail(line, "<instance> needs a path naming an instance, ending in '.' (\"" +
                                  path + "\")");
        }
        settings.entries.push_back({FactoryEntry::Kind::Instance, path, {}, line});
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            if (std::string_view(child.name()) != "value") {
                return fail(line_of(child.offset_debug()),
                            "unknown element <" + std::string(child.name()) +
                                "> in <instance> (expected <value>)");
            }
            auto entry = value(child, path);
            if (!entry) return phonecwmp::Unexpected(entry.error());
            settings.entries.push_back(std::move(*entry));
        }
        return {};
    }

    // A <value>: absolute path="..." at the top level, relative name="..."
    // inside an <instance> (whose path is `instance`).
    phonecwmp::Expected<FactoryEntry, LoadError> value(pugi::xml_node node,
                                                       const std::string& instance) const {
        const std::size_t line = line_of(node.offset_debug());
        const char* expected = instance.empty() ? "path" : "name";
        for (const pugi::xml_attribute attribute : node.attributes()) {
            if (std::string_view(attribute.name()) != expected) {
                return fail(line, "unknown attribute '" + std::string(attribute.name()) +
                                      "' of <value> (expected '" + expected + "')");
            }
        }
        const std::string name = node.attribute(expected).value();
        if (name.empty() || name.back() == '.' ||
            (!instance.empty() && name.find('.') != std::string::npos)) {
            return fail(line, std::string("<value> needs a ") +
                                  (instance.empty() ? "parameter path" : "parameter name") +
                                  " in '" + expected + "' (\"" + name + "\")");
        }
        for (const pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_element) {
                return fail(line, "<value> holds text only");
            }
        }
        return FactoryEntry{FactoryEntry::Kind::Value, instance + name, node.text().get(), line};
    }

    std::string_view xml_;
    std::string name_;
};

}  // namespace

phonecwmp::Expected<FactorySettings, LoadError> load_factory_string(std::string_view xml,
                                                                    std::string_view name) {
    return FactoryParser(xml, std::string(name)).run();
}

phonecwmp::Expected<FactorySettings, LoadError> load_factory_file(
    const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return phonecwmp::Unexpected(LoadError{file.string(), "cannot be read"});
    const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return load_factory_string(xml, file.string());
}

std::filesystem::path installed_factory_file() {
    return std::filesystem::path(PHONECWMP_INSTALLED_FACTORY_FILE);
}

}  // namespace datamodel
