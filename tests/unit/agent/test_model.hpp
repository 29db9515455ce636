// The phone's real definitions, loaded for agent tests.
#pragma once

#include <memory>
#include <stdexcept>

#include "datamodel/model.hpp"

namespace agent::testing {

inline std::shared_ptr<const datamodel::Definitions> phone_definitions() {
    auto loaded = datamodel::Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
    if (!loaded) {
        // Thrown from a fixture's constructor, this fails the test cleanly.
        throw std::runtime_error("cannot load " + loaded.error().file + ": " +
                                 loaded.error().message);
    }
    return std::make_shared<const datamodel::Definitions>(std::move(*loaded));
}

}  // namespace agent::testing
