// phonecwmp-dm-doc DEFINITIONS.xml [FACTORY.xml] [--output FILE]
// Writes the Markdown data-model reference to FILE (only when it changed) or
// to standard output.
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "dm_doc.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> inputs;
    std::optional<std::string> output;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--output" && i + 1 < argc) {
            output = argv[++i];
        } else if (!argument.empty() && argument.front() == '-') {
            inputs.clear();
            break;
        } else {
            inputs.push_back(argument);
        }
    }
    if (inputs.empty() || inputs.size() > 2) {
        std::cerr << "usage: phonecwmp-dm-doc DEFINITIONS.xml [FACTORY.xml] [--output FILE]\n";
        return 2;
    }
    const auto definitions = datamodel::Definitions::load_file(inputs[0]);
    if (!definitions) {
        std::cerr << definitions.error().file << ": " << definitions.error().message << "\n";
        return 1;
    }
    std::optional<datamodel::FactorySettings> factory;
    std::string sources = std::filesystem::path(inputs[0]).filename().string();
    if (inputs.size() == 2) {
        auto loaded = datamodel::load_factory_file(inputs[1]);
        if (!loaded) {
            std::cerr << loaded.error().file << ": " << loaded.error().message << "\n";
            return 1;
        }
        factory = std::move(*loaded);
        sources += " and " + std::filesystem::path(inputs[1]).filename().string();
    }
    const std::string text =
        datamodel::doc::render_markdown(*definitions, factory ? &*factory : nullptr, sources);
    if (!output) {
        std::cout << text;
        return std::cout ? 0 : 1;
    }
    {
        std::ifstream current(*output, std::ios::binary);
        const std::string existing((std::istreambuf_iterator<char>(current)),
                                   std::istreambuf_iterator<char>());
        if (current && existing == text) return 0;
    }
    std::ofstream file(*output, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
        std::cerr << *output << ": cannot be written\n";
        return 1;
    }
    return 0;
}
