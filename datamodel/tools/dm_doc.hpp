// The data-model reference (docs/datamodel.md) rendered from the definitions
// and the factory settings: one table per object.
#pragma once

#include <string>

#include "datamodel/definitions.hpp"
#include "datamodel/factory.hpp"

namespace datamodel::doc {

// Markdown for every object and parameter of `definitions`, then the
// instances and values of `factory` (when given). `sources` names the input
// files in the header line.
std::string render_markdown(const Definitions& definitions, const FactorySettings* factory,
                            const std::string& sources);

}  // namespace datamodel::doc
