// Fuzz target of data-model paths and values: what an ACS writes with
// SetParameterValues (and an NBI user through acs-sim) reaches the model as
// a path and a value string. The input is "<path>\n<value>": the path goes
// through the path helpers, and when it names a parameter of the phone's
// definitions the value is checked against that parameter's syntax, as the
// controller and as the device. A value that is accepted comes back in
// canonical form, which must itself be accepted unchanged.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/definitions.hpp"
#include "datamodel/path.hpp"
#include "datamodel/value_syntax.hpp"
#include "fuzz_target.hpp"

namespace {

using phonecwmp::fuzz::require;

const datamodel::Definitions& phone_definitions() {
    static const datamodel::Definitions definitions = [] {
        auto loaded = datamodel::Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
        if (!loaded) throw std::runtime_error("cannot load " + loaded.error().file);
        return std::move(*loaded);
    }();
    return definitions;
}

struct Input {
    std::string_view path;
    std::string_view value;
    bool has_value = false;
};

Input split_input(std::string_view bytes) {
    const auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) return {bytes, {}, false};
    return {bytes.substr(0, newline), bytes.substr(newline + 1), true};
}

void exercise_path(std::string_view path) {
    const std::string template_form = datamodel::template_path(path);
    require(datamodel::template_path(template_form) == template_form);
    std::vector<std::string_view> segments;
    if (!datamodel::split_path(path, segments)) return;
    std::string joined;
    for (std::string_view segment : segments) {
        require(!segment.empty());
        if (!joined.empty()) joined += '.';
        joined += segment;
    }
    if (datamodel::is_partial_path(path) && !path.empty()) joined += '.';
    require(joined == path);
}

// The canonical form of `value` for the parameter at `path`, if accepted.
phonecwmp::Expected<std::string, std::string> check(std::string_view path, std::string_view value,
                                                    datamodel::WriteOrigin origin) {
    const auto* parameter = phone_definitions().find_parameter(datamodel::template_path(path));
    if (!parameter) return phonecwmp::Unexpected(std::string("no such parameter"));
    return datamodel::check_value(parameter->syntax, value, origin);
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    const Input input = split_input(bytes);
    return input.has_value &&
           check(input.path, input.value, datamodel::WriteOrigin::Controller).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Input input = split_input(phonecwmp::fuzz::as_text(data, size));
    exercise_path(input.path);
    if (!input.has_value) return 0;
    datamodel::parse_date_time(input.value);
    for (std::string_view item : datamodel::list_items(input.value)) {
        require(item.size() <= input.value.size());
    }
    for (auto origin : {datamodel::WriteOrigin::Controller, datamodel::WriteOrigin::Device}) {
        auto canonical = check(input.path, input.value, origin);
        if (!canonical) {
            require(!canonical.error().empty());
            continue;
        }
        auto again = check(input.path, *canonical, origin);
        require(again.has_value() && *again == *canonical);
    }
    return 0;
}
