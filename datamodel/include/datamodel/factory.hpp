// The factory file: the table instances and values a phone leaves the
// factory with, beyond the definitions' own defaults (e.g. the IP interface,
// the DHCP client with the options it sends and requests, the voice service
// with one SIP network and one line).
//
// Format (our own, simple XML; document order is the order of application):
//
//   <factory xmlns="urn:phonecwmp:factory-1-0">
//     <instance path="Device.IP.Interface.1.">
//       <value name="Name">eth0</value>          <!-- relative to the instance -->
//     </instance>
//     <value path="Device.Time.NTPServer1">pool.ntp.org</value>  <!-- absolute -->
//   </factory>
//
// An <instance> creates the numbered instance of a table (of any table, also
// one the controller may not add to) with its parameters at their object
// defaults; its parent instance must exist already or be created earlier in
// the file. A <value> sets a parameter, read-only ones included, checked
// against its syntax. A store is given the factory settings once, when it
// holds no parameter values, instances or counters yet (a new store, or one
// left empty by a power cut during the first start, or a factory reset),
// in one transaction; instance counters continue after the highest number
// the file used.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/definitions.hpp"
#include "phonecwmp/expected.hpp"

namespace datamodel {

struct FactoryEntry {
    enum class Kind { Instance, Value };
    Kind kind = Kind::Value;
    std::string path;   // an instance path ending in "N." or a parameter path
    std::string value;  // Kind::Value only
    std::size_t line = 0;
};

struct FactorySettings {
    std::string file;                   // for error messages
    std::vector<FactoryEntry> entries;  // in document order
};

// Parses a factory file (syntax only; the paths and values are checked
// against the definitions by Model::open). Errors name the file and line.
phonecwmp::Expected<FactorySettings, LoadError> load_factory_file(
    const std::filesystem::path& file);
phonecwmp::Expected<FactorySettings, LoadError> load_factory_string(
    std::string_view xml, std::string_view name = "<string>");

// Where the phone's factory file (datamodel/definitions/phone-factory.xml) is
// installed: <prefix>/share/phonecwmp/phone-factory.xml.
std::filesystem::path installed_factory_file();

}  // namespace datamodel
