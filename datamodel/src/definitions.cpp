#include "datamodel/definitions.hpp"

#include <utility>

#include "definitions_builder.hpp"

namespace datamodel {

std::filesystem::path installed_definitions_file() {
    return std::filesystem::path(PHONECWMP_INSTALLED_DEFINITIONS_FILE);
}

const ParameterDefinition* Definitions::find_parameter(std::string_view template_path) const {
    const auto it = parameter_index_.find(template_path);
    return it == parameter_index_.end() ? nullptr : &parameters_[it->second];
}

const ObjectDefinition* Definitions::find_object(std::string_view template_path) const {
    const auto it = object_index_.find(template_path);
    return it == object_index_.end() ? nullptr : &objects_[it->second];
}

bool DefinitionsBuilder::add_object(ObjectDefinition object) {
    const auto [it, inserted] =
        definitions_.object_index_.emplace(object.path, definitions_.objects_.size());
    if (inserted) definitions_.objects_.push_back(std::move(object));
    return inserted;
}

bool DefinitionsBuilder::add_parameter(ParameterDefinition parameter) {
    const auto [it, inserted] =
        definitions_.parameter_index_.emplace(parameter.path, definitions_.parameters_.size());
    if (inserted) definitions_.parameters_.push_back(std::move(parameter));
    return inserted;
}

void DefinitionsBuilder::skip(std::string path, std::string reason) {
    definitions_.skipped_.push_back({std::move(path), std::move(reason)});
}

Definitions DefinitionsBuilder::build() && {
    return std::move(definitions_);
}

}  // namespace datamodel
