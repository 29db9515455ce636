// The phone's real definitions, loaded for agent tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "datamodel/model.hpp"

namespace agent::testing {

inline std::shared_ptr<const datamodel::Definitions> phone_definitions() {
    const char* source = std::getenv("PHONECWMP_SOURCE_DIR");
    const std::string root = source != nullptr ? source : ".";
    auto loaded =
        datamodel::Definitions::load_file(root + "/datamodel/definitions/phone-device.xml");
    if (!loaded) {
        ADD_FAILURE() << "cannot load definitions: " << loaded.error().message;
        return nullptr;
    }
    return std::make_shared<const datamodel::Definitions>(std::move(*loaded));
}

}  // namespace agent::testing
