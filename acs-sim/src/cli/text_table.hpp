// Plain-text tables for the command-line tools: a header row and columns
// padded to their widest cell, so the output reads in a terminal and greps.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace acssim::cli {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}

    // Missing cells are blank; extra cells are dropped.
    void add_row(std::vector<std::string> cells);
    std::size_t rows() const { return rows_.size(); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace acssim::cli
