#include "transfer/configuration_file.hpp"

#include <pugixml.hpp>
#include <sstream>

#include "datamodel/factory.hpp"
#include "datamodel/path.hpp"

namespace agent::transfer {

phonecwmp::Expected<std::vector<datamodel::ValueWrite>, std::string> parse_configuration_file(
    std::string_view xml) {
    if (xml.size() > kMaxConfigurationFileBytes) {
        return phonecwmp::Unexpected("configuration file larger than " +
                                     std::to_string(kMaxConfigurationFileBytes) + " bytes");
    }
    auto settings = datamodel::load_factory_string(xml, "configuration file");
    if (!settings) {
        // The message names the line already.
        return phonecwmp::Unexpected(settings.error().message);
    }
    std::vector<datamodel::ValueWrite> writes;
    for (const auto& entry : settings->entries) {
        if (entry.kind != datamodel::FactoryEntry::Kind::Value) {
            return phonecwmp::Unexpected("configuration file line " + std::to_string(entry.line) +
                                         ": <instance> is not supported in a configuration file");
        }
        writes.push_back({entry.path, entry.value, std::nullopt});
    }
    if (writes.empty()) {
        return phonecwmp::Unexpected(std::string("configuration file sets no value"));
    }
    return writes;
}

std::string export_configuration_file(const datamodel::Model& model) {
    pugi::xml_document document;
    pugi::xml_node root = document.append_child("factory");
    root.append_attribute("xmlns") = "urn:phonecwmp:factory-1-0";
    auto names = model.get_names("", false);
    if (names) {
        for (const auto& name : *names) {
            if (!name.writable || name.path.empty() || name.path.back() == '.') continue;
            const auto* definition =
                model.definitions().find_parameter(datamodel::template_path(name.path));
            if (definition == nullptr || definition->syntax.hidden) continue;
            const auto value = model.value(name.path);
            if (!value) continue;
            pugi::xml_node node = root.append_child("value");
            node.append_attribute("path") = name.path.c_str();
            node.text().set(value->c_str());
        }
    }
    std::ostringstream out;
    document.save(out, "  ");
    return out.str();
}

}  // namespace agent::transfer
