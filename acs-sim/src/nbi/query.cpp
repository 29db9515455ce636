#include "nbi/query.hpp"

namespace acssim {

namespace {

std::vector<std::string> split_dots(std::string_view path) {
    std::vector<std::string> segments;
    while (true) {
        const auto dot = path.find('.');
        segments.emplace_back(path.substr(0, dot));
        if (dot == std::string_view::npos) break;
        path.remove_prefix(dot + 1);
    }
    return segments;
}

const Json* resolve(const Json& document, const std::string& path) {
    const Json* node = &document;
    for (const auto& segment : split_dots(path)) {
        if (!node->is_object()) return nullptr;
        auto found = node->find(segment);
        if (found == node->end()) return nullptr;
        node = &*found;
    }
    return node;
}

bool loosely_equal(const Json& actual, const Json& wanted) {
    if (actual == wanted) return true;
    if (actual.is_string() && (wanted.is_number() || wanted.is_boolean())) {
        return actual.get_ref<const std::string&>() == wanted.dump();
    }
    if (wanted.is_string() && (actual.is_number() || actual.is_boolean())) {
        return wanted.get_ref<const std::string&>() == actual.dump();
    }
    return false;
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

}  // namespace

phonecwmp::Expected<Query, std::string> Query::parse(std::string_view text) {
    Query query;
    if (trim(text).empty()) return query;
    Json parsed;
    try {
        parsed = Json::parse(text);
    } catch (const Json::exception& error) {  // parse_error, or out_of_range: 1e999
        return phonecwmp::Unexpected(std::string{"query is not valid JSON: "} + error.what());
    }
    if (!parsed.is_object()) {
        return phonecwmp::Unexpected(std::string{"query must be a JSON object"});
    }
    for (auto& [key, value] : parsed.items()) {
        if (key.starts_with('$')) {
            return phonecwmp::Unexpected("unsupported query operator " + key +
                                         " (only field equality is supported)");
        }
        if (key.empty()) return phonecwmp::Unexpected(std::string{"empty field name in query"});
        if (value.is_object()) {
            for (const auto& [inner, ignored] : value.items()) {
                if (inner.starts_with('$')) {
                    return phonecwmp::Unexpected("unsupported query operator " + inner + " on " +
                                                 key + " (only field equality is supported)");
                }
            }
        }
        query.conditions_.emplace_back(key, value);
    }
    return query;
}

bool Query::matches(const Json& document) const {
    for (const auto& [path, wanted] : conditions_) {
        const Json* node = resolve(document, path);
        if (node == nullptr) {
            // MongoDB: a missing field equals null.
            if (!wanted.is_null()) return false;
            continue;
        }
        if (node->is_object()) {
            auto value = node->find("_value");
            if (value != node->end()) node = &*value;
        }
        if (!loosely_equal(*node, wanted)) return false;
    }
    return true;
}

std::vector<std::string> parse_projection(std::string_view text) {
    std::vector<std::string> paths;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto path = trim(text.substr(0, comma));
        if (!path.empty()) paths.emplace_back(path);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return paths;
}

Json project(const Json& document, const std::vector<std::string>& paths) {
    if (paths.empty()) return document;
    Json result = Json::object();
    if (auto id = document.find("_id"); id != document.end()) result["_id"] = *id;
    for (const auto& path : paths) {
        const Json* node = resolve(document, path);
        if (node == nullptr) continue;
        Json* target = &result;
        const auto segments = split_dots(path);
        for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
            Json& child = (*target)[segments[i]];
            if (!child.is_object()) child = Json::object();
            target = &child;
        }
        (*target)[segments.back()] = *node;
    }
    return result;
}

}  // namespace acssim
