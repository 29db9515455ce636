// The definitions arranged as a tree of object templates, the shape every
// walk of the parameter tree follows (GetParameterNames/Values order,
// instance expansion, path resolution).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/definitions.hpp"

namespace datamodel {

struct SchemaNode {
    // Root: above the top-level objects ("Device."). Object: a single-instance
    // object. Table: "Device.IP.Interface." whose only child is its Instance
    // template "Device.IP.Interface.{i}.".
    enum class Kind { Root, Object, Table, Instance };

    Kind kind = Kind::Root;
    std::string name;           // last segment: "Interface", "{i}"; "" for the root
    std::string template_path;  // with trailing '.', "" for the root
    // The object's definition; for a Table that of its instances. Null for
    // objects the definitions imply but do not define (e.g. "Device." when a
    // file starts at "Device.ManagementServer.").
    const ObjectDefinition* definition = nullptr;
    const SchemaNode* parent = nullptr;
    std::vector<const ParameterDefinition*> parameters;  // definition order
    std::vector<const SchemaNode*> children;             // objects and tables, definition order
    std::map<std::string, const ParameterDefinition*, std::less<>> parameter_by_name;
    std::map<std::string, const SchemaNode*, std::less<>> child_by_name;

    const SchemaNode* instance_template() const {
        return kind == Kind::Table && !children.empty() ? children.front() : nullptr;
    }
    // GetParameterNames "writable" for an object: instances can be added
    // (tables) or deleted (instances); single objects are never writable
    // unless defined readWrite.
    bool writable() const { return definition && definition->access == Access::ReadWrite; }
};

class SchemaTree {
public:
    explicit SchemaTree(const Definitions& definitions);

    const SchemaNode& root() const { return *root_; }
    // An object, instance template or table by template path ("Device.",
    // "Device.IP.Interface.{i}.", "Device.IP.Interface.").
    const SchemaNode* find(std::string_view template_path) const;

private:
    SchemaNode& node_for(std::string_view template_path);

    std::vector<std::unique_ptr<SchemaNode>> nodes_;
    SchemaNode* root_ = nullptr;
    std::map<std::string, SchemaNode*, std::less<>> by_path_;
};

}  // namespace datamodel
