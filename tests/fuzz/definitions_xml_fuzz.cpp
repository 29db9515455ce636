// Fuzz target of the definitions loader (datamodel/definitions.hpp): the
// agent reads its data model from an XML file in our subset of the BBF
// format, and the tools read BBF files as published. What loads must be
// consistent: every parameter and object is found under its own path, and
// every parameter's null value can be checked against its syntax.
#include <string_view>

#include "datamodel/definitions.hpp"
#include "datamodel/value_syntax.hpp"
#include "fuzz_target.hpp"

namespace {

using phonecwmp::fuzz::require;

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return datamodel::Definitions::load_string(bytes, "fuzz.xml").has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto loaded =
        datamodel::Definitions::load_string(phonecwmp::fuzz::as_text(data, size), "fuzz.xml");
    if (!loaded) {
        require(!loaded.error().message.empty());
        return 0;
    }
    for (const auto& parameter : loaded->parameters()) {
        require(loaded->find_parameter(parameter.path) == &parameter);
        datamodel::check_value(parameter.syntax, datamodel::null_value(parameter.syntax),
                               datamodel::WriteOrigin::Device);
        if (parameter.factory_default) {
            datamodel::check_value(parameter.syntax, *parameter.factory_default,
                                   datamodel::WriteOrigin::Device);
        }
    }
    for (const auto& object : loaded->objects()) {
        require(loaded->find_object(object.path) == &object);
    }
    return 0;
}
