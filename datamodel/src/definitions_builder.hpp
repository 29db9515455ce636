// Assembles a Definitions object while a file is being read. The loader is
// its only user; Definitions befriends it so that a loaded set of
// definitions is immutable for everyone else.
#pragma once

#include <string>

#include "datamodel/definitions.hpp"

namespace datamodel {

class DefinitionsBuilder {
public:
    // False if an object or parameter with that path was already added.
    bool add_object(ObjectDefinition object);
    bool add_parameter(ParameterDefinition parameter);
    void skip(std::string path, std::string reason);

    Definitions build() &&;

private:
    Definitions definitions_;
};

}  // namespace datamodel
