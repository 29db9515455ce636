// Values given on the command line (--set, --acs-url) and how they meet the
// values the ACS sets.
//
// A read-only parameter (the device's identity: SerialNumber, OUI, software
// version, ...) belongs to the device and is applied at every start. A
// writable parameter given locally is an initial value: it is applied when
// the store is new, or when the locally configured value differs from the one
// given at the previous start; in between, the ACS owns it and a restart does
// not undo what the ACS set.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "datamodel/model.hpp"

namespace agent {

using LocalValues = std::vector<std::pair<std::string, std::string>>;

// Applies what is due in one transaction (values and the record of what was
// given). Every invalid value is reported and nothing changes.
phonecwmp::Expected<void, std::vector<datamodel::Error>> apply_local_configuration(
    datamodel::Model& model, const LocalValues& values);

}  // namespace agent
