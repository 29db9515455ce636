// The vendor configuration file of Download "3 Vendor Configuration File"
// and Upload "1 Vendor Configuration File": parameter values in the factory
// file's format (datamodel/factory.hpp), values only:
//
//   <factory xmlns="urn:phonecwmp:factory-1-0">
//     <value path="Device.ManagementServer.PeriodicInformInterval">300</value>
//   </factory>
//
// A downloaded file is applied as one data-model transaction: every value is
// checked first and nothing changes when one is wrong. Values of read-only
// parameters are refused (a configuration file configures, it does not
// forge status). Instances are not created by a configuration file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "datamodel/model.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::transfer {

// Largest configuration file accepted (values of a phone fit many times).
inline constexpr std::size_t kMaxConfigurationFileBytes = 1024 * 1024;

// The writes of a configuration file, or a message naming the problem (file
// line, unsupported element) when it is not one.
phonecwmp::Expected<std::vector<datamodel::ValueWrite>, std::string> parse_configuration_file(
    std::string_view xml);

// The current values of every writable parameter, as a configuration file.
// Hidden values (passwords) are left out: they read back empty anyway.
std::string export_configuration_file(const datamodel::Model& model);

}  // namespace agent::transfer
