#include "schema_tree.hpp"

#include "datamodel/path.hpp"

namespace datamodel {

SchemaTree::SchemaTree(const Definitions& definitions) {
    nodes_.push_back(std::make_unique<SchemaNode>());
    root_ = nodes_.back().get();
    by_path_.emplace("", root_);
    for (const ObjectDefinition& object : definitions.objects()) {
        SchemaNode& node = node_for(object.path);
        node.definition = &object;
        if (node.kind == SchemaNode::Kind::Instance) {
            // The table shares the definition of its instances.
            const std::string_view table_path =
                std::string_view(object.path).substr(0, object.path.size() - 4);
            by_path_.find(table_path)->second->definition = &object;
        }
    }
    for (const ParameterDefinition& parameter : definitions.parameters()) {
        const std::size_t dot = parameter.path.rfind('.');
        const std::string_view object_path =
            dot == std::string::npos ? std::string_view()
                                     : std::string_view(parameter.path).substr(0, dot + 1);
        SchemaNode& node = node_for(object_path);
        const std::string name = parameter.path.substr(object_path.size());
        if (node.parameter_by_name.emplace(name, &parameter).second) {
            node.parameters.push_back(&parameter);
        }
    }
}

const SchemaNode* SchemaTree::find(std::string_view template_path) const {
    const auto it = by_path_.find(template_path);
    return it == by_path_.end() ? nullptr : it->second;
}

// The node of an object template path, creating it and any missing ancestors.
// The nodes are only changed while the tree is built, hence the mutable walk.
SchemaNode& SchemaTree::node_for(std::string_view template_path) {
    if (const auto it = by_path_.find(template_path); it != by_path_.end()) return *it->second;
    std::vector<std::string_view> segments;
    split_path(template_path, segments);
    SchemaNode* node = root_;
    std::string path;
    for (const std::string_view segment : segments) {
        path.append(segment).append(".");
        if (const auto it = by_path_.find(path); it != by_path_.end()) {
            node = it->second;
            continue;
        }
        nodes_.push_back(std::make_unique<SchemaNode>());
        SchemaNode* child = nodes_.back().get();
        child->name = std::string(segment);
        child->template_path = path;
        child->parent = node;
        if (segment == "{i}") {
            // The parent becomes the table holding these instances.
            node->kind = SchemaNode::Kind::Table;
            child->kind = SchemaNode::Kind::Instance;
        } else {
            child->kind = SchemaNode::Kind::Object;
        }
        node->children.push_back(child);
        node->child_by_name.emplace(child->name, child);
        by_path_.emplace(path, child);
        node = child;
    }
    return *node;
}

}  // namespace datamodel
