#include "datamodel/path.hpp"

#include <algorithm>

namespace datamodel {

namespace {

bool all_digits(std::string_view segment) {
    return !segment.empty() &&
           std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string template_path(std::string_view path) {
    std::string result;
    result.reserve(path.size() + 8);
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t dot = path.find('.', start);
        const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
        const std::string_view segment = path.substr(start, end - start);
        result += all_digits(segment) ? std::string_view("{i}") : segment;
        if (dot == std::string_view::npos) break;
        result += '.';
        start = dot + 1;
    }
    return result;
}

bool is_partial_path(std::string_view path) {
    return path.empty() || path.back() == '.';
}

bool split_path(std::string_view path, std::vector<std::string_view>& segments) {
    segments.clear();
    if (path.empty()) return true;
    if (path.back() == '.') path.remove_suffix(1);
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
        if (end == start) return false;
        segments.push_back(path.substr(start, end - start));
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

}  // namespace datamodel
