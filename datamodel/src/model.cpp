#include "datamodel/model.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "datamodel/factory.hpp"
#include "datamodel/path.hpp"
#include "datamodel/value_syntax.hpp"
#include "schema_tree.hpp"
#include "store.hpp"

namespace datamodel {

namespace {

// An instance number as it appears in a path: digits, no leading zero, >= 1.
std::optional<std::uint32_t> instance_number(std::string_view segment) {
    if (segment.empty() || segment.front() == '0') return std::nullopt;
    std::uint32_t number = 0;
    const auto [end, error] =
        std::from_chars(segment.data(), segment.data() + segment.size(), number);
    if (error != std::errc() || end != segment.data() + segment.size()) return std::nullopt;
    return number;
}

bool types_compatible(BaseType declared, BaseType expected) {
    const auto is_integer = [](BaseType type) {
        return type == BaseType::UnsignedInt || type == BaseType::Int ||
               type == BaseType::UnsignedLong || type == BaseType::Long;
    };
    // The integer types are interchangeable on input: whether the value fits
    // the parameter's own type and range is checked with the value.
    return declared == expected || (is_integer(declared) && is_integer(expected));
}

Error error(ErrorCode code, std::string path, std::string message) {
    return Error{code, std::move(path), std::move(message)};
}

constexpr int kActiveNotification = 2;
constexpr int kMaxNotification = 6;  // passive + active lightweight
constexpr std::string_view kSubscriber = "Subscriber";

// Active notification in any form: 2, 5 (active lightweight), 6.
bool is_active(int notification) {
    return notification == kActiveNotification || notification == 5 || notification == 6;
}

std::string join_access_list(const std::vector<std::string>& entries) {
    std::string joined;
    for (const std::string& entry : entries) {
        if (!joined.empty()) joined += ',';
        joined += entry;
    }
    return joined;
}

std::vector<std::string> split_access_list(std::string_view joined) {
    std::vector<std::string> entries;
    while (!joined.empty()) {
        const std::size_t comma = joined.find(',');
        entries.emplace_back(joined.substr(0, comma));
        if (comma == std::string_view::npos) break;
        joined.remove_prefix(comma + 1);
    }
    return entries;
}

}  // namespace

struct Model::Impl {
    explicit Impl(const Definitions& definitions) : tree(definitions) {
        for (const ObjectDefinition& object : definitions.objects()) {
            if (!object.multi_instance || !object.num_entries_parameter) continue;
            const SchemaNode* table =
                tree.find(std::string_view(object.path).substr(0, object.path.size() - 4));
            if (!table || !table->parent) continue;
            const auto parameter =
                table->parent->parameter_by_name.find(*object.num_entries_parameter);
            if (parameter != table->parent->parameter_by_name.end()) {
                entry_count_tables.emplace(parameter->second, table);
            }
        }
    }

    // A concrete path resolved against the tree: an object (node set,
    // parameter null) or a parameter of the object `node`.
    struct Location {
        const SchemaNode* node = nullptr;
        const ParameterDefinition* parameter = nullptr;
        std::string path;  // the concrete path, objects with their trailing '.'
    };

    SchemaTree tree;
    // Every parameter of every existing object, by concrete path.
    std::unordered_map<std::string, std::string> values;
    // Instance numbers of each existing table, by concrete table path
    // ("Device.IP.Interface.").
    std::map<std::string, std::set<std::uint32_t>, std::less<>> instances;
    std::map<std::string, std::string, std::less<>> meta;
    // The last instance number handed out, by concrete table path.
    std::map<std::string, std::uint32_t, std::less<>> counters;
    // Attributes set by the controller, by concrete parameter path; the
    // others are at their defaults.
    std::unordered_map<std::string, Attributes> attributes;
    // NumberOfEntries parameters and the table whose instances each counts.
    std::unordered_map<const ParameterDefinition*, const SchemaNode*> entry_count_tables;
    std::unique_ptr<Store> store;
    // Shared with the copies notify() iterates over, so that an observer
    // stopped meanwhile is skipped (its flag is cleared).
    template <class Observer>
    struct Registered {
        ObserverId id;
        std::shared_ptr<bool> live;
        Observer observer;
    };
    std::uint64_t next_observer_id = 1;
    std::vector<Registered<ChangeObserver>> observers;
    std::vector<Registered<ObjectObserver>> object_observers;
    std::vector<std::pair<std::string, Registered<SubtreeObserver>>> subtree_observers;
    std::unordered_map<const ParameterDefinition*, ParameterHooks> hooks;
    struct Rule {
        std::vector<std::string> watched;
        CrossParameterRule check;
    };
    std::vector<Rule> rules;
    std::vector<PendingEvent> events;
    std::uint64_t last_event_id = 0;
    // What open() was given, for factory_reset().
    std::optional<FactorySettings> factory_settings;

    const ParameterHooks* hooks_of(const ParameterDefinition& parameter) const {
        if (hooks.empty()) return nullptr;  // most models: reads stay a map lookup
        const auto it = hooks.find(&parameter);
        return it == hooks.end() ? nullptr : &it->second;
    }

    // Why `item` is not a valid target of the reference `reference`, or
    // nullopt when it is. Targets are named with or without their trailing
    // dot. A relative targetParent ("##.IP.Interface.", ".SIP.Network.") is
    // compared by its end: the target's table (or parent object) must be
    // that object, wherever the relative part anchors it.
    std::optional<std::string> reference_problem(const PathRef& reference,
                                                 std::string_view item) const {
        const auto parent_matches = [&reference](std::string_view parent_template) {
            if (reference.target_parents.empty()) return true;
            return std::any_of(
                reference.target_parents.begin(), reference.target_parents.end(),
                [parent_template](std::string_view wanted) {
                    while (!wanted.empty() && (wanted.front() == '#' || wanted.front() == '.')) {
                        wanted.remove_prefix(1);
                    }
                    return parent_template == wanted ||
                           (parent_template.size() > wanted.size() &&
                            parent_template.ends_with(wanted) &&
                            parent_template[parent_template.size() - wanted.size() - 1] == '.');
                });
        };
        if (reference.target_type == PathRef::Target::Parameter) {
            const std::optional<Location> location =
                is_partial_path(item) ? std::nullopt : resolve(item);
            if (!location || !location->parameter) return "no such parameter";
            const std::string parent =
                template_path(location->path.substr(0, location->path.rfind('.') + 1));
            return parent_matches(parent) ? std::nullopt
                                          : std::optional<std::string>(
                                                "not a parameter of the "
                                                "referenced kind");
        }
        std::string path(item);
        if (!path.ends_with('.')) path.push_back('.');
        const std::optional<Location> location = resolve(path);
        if (!location || location->parameter || location->node->kind == SchemaNode::Kind::Root ||
            location->node->kind == SchemaNode::Kind::Table) {
            return "no such object";
        }
        const bool row = location->node->kind == SchemaNode::Kind::Instance;
        if (reference.target_type == PathRef::Target::Row && !row) return "not a table row";
        if (reference.target_type == PathRef::Target::Single && row) return "not a single object";
        // A row's place is its table ("Device.IP.Interface." for
        // "Device.IP.Interface.{i}."); any other object's is its parent.
        const std::string& own = location->node->template_path;
        const std::string_view trimmed = std::string_view(own).substr(0, own.size() - 1);
        const std::string_view place = trimmed.substr(0, trimmed.rfind('.') + 1);
        if (!parent_matches(place)) {
            return "not an object of the referenced kind";
        }
        return std::nullopt;
    }

    // A unique key (BBF uniqueKey) of the instance holding `entry` that the
    // new values would give two instances of its table. Keys whose values
    // are all empty are not compared (rows not configured yet); a
    // functional key of a table with an enable parameter binds enabled rows
    // only.
    std::optional<Error> unique_key_clash(
        const std::string& path,
        const std::map<std::string_view, std::string_view>& new_values) const {
        const std::size_t dot = path.rfind('.');
        const std::string instance = path.substr(0, dot + 1);
        const std::string name = path.substr(dot + 1);
        const std::optional<Location> location = resolve(instance);
        if (!location || location->node->kind != SchemaNode::Kind::Instance ||
            !location->node->definition) {
            return std::nullopt;
        }
        const ObjectDefinition& object = *location->node->definition;
        const std::string_view trimmed = std::string_view(instance).substr(0, instance.size() - 1);
        const std::string table(trimmed.substr(0, trimmed.rfind('.') + 1));
        const auto value_of = [&](const std::string& other_path) -> std::string {
            if (const auto it = new_values.find(other_path); it != new_values.end()) {
                return std::string(it->second);
            }
            const auto it = values.find(other_path);
            return it == values.end() ? std::string() : it->second;
        };
        for (const ObjectDefinition::UniqueKey& key : object.unique_keys) {
            const bool enabled_only = key.functional && object.enable_parameter;
            // Enabling a row brings its functional keys into play too.
            const bool enabling = enabled_only && name == *object.enable_parameter;
            if (!enabling && std::find(key.parameters.begin(), key.parameters.end(), name) ==
                                 key.parameters.end()) {
                continue;
            }
            const auto tuple_of = [&](const std::string& row) {
                std::vector<std::string> tuple;
                for (const std::string& part : key.parameters)
                    tuple.push_back(value_of(row + part));
                return tuple;
            };
            const auto counts = [&](const std::string& row) {
                return !enabled_only || value_of(row + *object.enable_parameter) == "true";
            };
            const std::vector<std::string> mine = tuple_of(instance);
            if (!counts(instance) ||
                std::all_of(mine.begin(), mine.end(), [](const auto& v) { return v.empty(); })) {
                continue;
            }
            for (const std::uint32_t number : instances_of(table)) {
                const std::string other = table + std::to_string(number) + ".";
                if (other == instance || !counts(other) || tuple_of(other) != mine) continue;
                std::string names;
                for (const std::string& part : key.parameters) {
                    if (!names.empty()) names += ", ";
                    names += part;
                }
                return error(ErrorCode::InvalidValue, path,
                             "unique key (" + names + ") would equal that of " + other);
            }
        }
        return std::nullopt;
    }

    // The strong references that name something at or below `deleted` (an
    // instance path), with the values they keep once it is gone (TR-106: a
    // strong reference to a deleted object becomes empty; a list loses the
    // item).
    std::vector<std::pair<std::string, std::string>> references_into(
        const std::string& deleted) const {
        std::vector<std::pair<std::string, std::string>> cleared;
        for_each_parameter(
            tree.root(), "", [&](const ParameterDefinition& parameter, const std::string& path) {
                if (!parameter.syntax.path_ref || !parameter.syntax.path_ref->strong) return;
                if (path.starts_with(deleted)) return;  // goes with the instance
                const auto it = values.find(path);
                if (it == values.end() || it->second.empty()) return;
                const std::vector<std::string_view> items =
                    parameter.syntax.list ? list_items(it->second)
                                          : std::vector<std::string_view>{it->second};
                std::string kept;
                bool dropped = false;
                for (const std::string_view item : items) {
                    std::string target(item);
                    if (!target.ends_with('.')) target.push_back('.');
                    if (target.starts_with(deleted)) {
                        dropped = true;
                        continue;
                    }
                    if (!kept.empty()) kept.push_back(',');
                    kept.append(item);
                }
                if (dropped) cleared.emplace_back(path, std::move(kept));
            });
        return cleared;
    }

    // The value of a parameter for the device's own use: live, counted or
    // stored; hidden values included.
    std::string current_value(const ParameterDefinition& parameter, const std::string& path) const {
        if (const ParameterHooks* hook = hooks_of(parameter); hook && hook->get)
            return hook->get(path);
        if (auto count = entry_count(parameter, path)) return *count;
        const auto it = values.find(path);
        return it == values.end() ? std::string(null_value(parameter.syntax)) : it->second;
    }

    const std::set<std::uint32_t>& instances_of(std::string_view table_path) const {
        static const std::set<std::uint32_t> kNone;
        const auto it = instances.find(table_path);
        return it == instances.end() ? kNone : it->second;
    }

    // Resolves a concrete path ("" = root) to an existing object or parameter.
    std::optional<Location> resolve(std::string_view path) const {
        std::vector<std::string_view> segments;
        if (!split_path(path, segments)) return std::nullopt;
        const bool partial = is_partial_path(path);
        Location location{&tree.root(), nullptr, {}};
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const std::string_view segment = segments[i];
            const SchemaNode& node = *location.node;
            if (node.kind == SchemaNode::Kind::Table) {
                const std::optional<std::uint32_t> number = instance_number(segment);
                if (!number || !instances_of(location.path).count(*number)) return std::nullopt;
                location.node = node.instance_template();
            } else if (const auto child = node.child_by_name.find(segment);
                       child != node.child_by_name.end()) {
                location.node = child->second;
            } else if (i + 1 == segments.size() && !partial) {
                const auto parameter = node.parameter_by_name.find(segment);
                if (parameter == node.parameter_by_name.end()) return std::nullopt;
                location.parameter = parameter->second;
                location.path.append(segment);
                return location;
            } else {
                return std::nullopt;
            }
            location.path.append(segment).append(".");
        }
        // An object named without its trailing dot is not a parameter.
        if (!partial) return std::nullopt;
        return location;
    }

    // Calls visit(parameter, path) for the parameter a full path names, or for
    // every parameter below a partial path (GetParameterValues semantics).
    // False, and no call, when the path names nothing.
    template <class Visit>
    bool for_each_named(std::string_view path, Visit&& visit) const {
        const std::optional<Location> location = resolve(path);
        if (!location) return false;
        if (location->parameter) {
            visit(*location->parameter, location->path);
        } else {
            for_each_parameter(*location->node, location->path, visit);
        }
        return true;
    }

    // Calls fn(parameter, path) for every parameter at and below the object
    // `node` whose concrete path is `prefix`, in definition order.
    template <class Fn>
    void for_each_parameter(const SchemaNode& node, const std::string& prefix, Fn&& fn) const {
        if (node.kind == SchemaNode::Kind::Table) {
            for (const std::uint32_t number : instances_of(prefix)) {
                for_each_parameter(*node.instance_template(), prefix + std::to_string(number) + ".",
                                   fn);
            }
            return;
        }
        for (const ParameterDefinition* parameter : node.parameters) {
            fn(*parameter, parameter_path(prefix, *parameter));
        }
        for (const SchemaNode* child : node.children) {
            for_each_parameter(*child, prefix + child->name + ".", fn);
        }
    }

    // Appends the names below the object `node` (concrete path `prefix`):
    // its parameters, child objects and instances, and with `recurse` all of
    // their descendants, each object followed by its contents.
    void names_below(const SchemaNode& node, const std::string& prefix, bool recurse,
                     std::vector<NameInfo>& out) const {
        if (node.kind == SchemaNode::Kind::Table) {
            const SchemaNode& instance = *node.instance_template();
            for (const std::uint32_t number : instances_of(prefix)) {
                const std::string path = prefix + std::to_string(number) + ".";
                out.push_back({path, instance.writable()});
                if (recurse) names_below(instance, path, true, out);
            }
            return;
        }
        for (const ParameterDefinition* parameter : node.parameters) {
            out.push_back(
                {parameter_path(prefix, *parameter), parameter->access == Access::ReadWrite});
        }
        for (const SchemaNode* child : node.children) {
            const std::string path = prefix + child->name + ".";
            out.push_back({path, child->writable()});
            if (recurse) names_below(*child, path, true, out);
        }
    }

    // The concrete path of a parameter of the object at `prefix`.
    static std::string parameter_path(const std::string& prefix,
                                      const ParameterDefinition& parameter) {
        const std::size_t dot = parameter.path.rfind('.');
        return prefix +
               (dot == std::string::npos ? parameter.path : parameter.path.substr(dot + 1));
    }

    static std::string initial_value(const ParameterDefinition& parameter, bool in_instance) {
        if (parameter.syntax.command) return std::string(null_value(parameter.syntax));
        if (in_instance && parameter.object_default) return *parameter.object_default;
        if (parameter.factory_default) return *parameter.factory_default;
        return std::string(null_value(parameter.syntax));
    }

    // Gives every parameter of every existing object a value (keeping the
    // values already there).
    void fill_defaults() {
        for_each_parameter(
            tree.root(), "", [this](const ParameterDefinition& parameter, const std::string& path) {
                if (values.count(path)) return;
                const bool in_instance = parameter.path.find("{i}") != std::string::npos;
                values.emplace(path, initial_value(parameter, in_instance));
            });
    }

    // Records the instances a stored concrete path implies ("Device.A.1.B.2.X"
    // implies A.1 and A.1.B.2). False if the path does not fit the tree.
    bool register_instances(std::string_view path) {
        std::vector<std::string_view> segments;
        if (!split_path(path, segments)) return false;
        const SchemaNode* node = &tree.root();
        std::string prefix;
        for (const std::string_view segment : segments) {
            if (node->kind == SchemaNode::Kind::Table) {
                const std::optional<std::uint32_t> number = instance_number(segment);
                if (!number) return false;
                instances[prefix].insert(*number);
                node = node->instance_template();
            } else if (const auto child = node->child_by_name.find(segment);
                       child != node->child_by_name.end()) {
                node = child->second;
            } else {
                return node->parameter_by_name.count(segment) > 0;
            }
            prefix.append(segment).append(".");
        }
        return true;
    }

    // Takes over what the store holds. Values that no longer fit the
    // definitions (a parameter dropped or its syntax narrowed by a firmware
    // update) are left in the store but not used: the parameter keeps its
    // default.
    void load(const Store::Contents& contents) {
        for (const auto& [table, number] : contents.instances) {
            register_instances(table + std::to_string(number) + ".");
        }
        for (const auto& entry : contents.values) register_instances(entry.first);
        fill_defaults();
        for (const auto& [path, value] : contents.values) {
            const std::optional<Location> location = resolve(path);
            if (!location || !location->parameter || location->parameter->syntax.command) continue;
            const auto checked =
                check_value(location->parameter->syntax, value, WriteOrigin::Device);
            if (checked) values[path] = *checked;
        }
        meta.insert(contents.meta.begin(), contents.meta.end());
        events = contents.events;
        for (const PendingEvent& event : events) last_event_id = std::max(last_event_id, event.id);
        for (const auto& [table, last] : contents.counters) counters[table] = last;
        for (const StoredAttributes& stored : contents.attributes) {
            const std::optional<Location> location = resolve(stored.path);
            if (!location || !location->parameter || stored.notification < 0 ||
                stored.notification > kMaxNotification) {
                continue;
            }
            attributes[stored.path] =
                Attributes{stored.notification, split_access_list(stored.access_list)};
        }
    }

    // Applies the factory settings to this state in file order (instances
    // with their object defaults, then values checked against their syntax)
    // and returns everything as one store change. Errors name the file and
    // line of the offending entry; the state is then unusable.
    phonecwmp::Expected<StoreChange, Error> apply_factory(const FactorySettings& factory) {
        StoreChange change;
        std::map<std::string, std::string> written;  // every value the change stores
        std::map<std::string, std::uint32_t> last_numbers;
        for (const FactoryEntry& entry : factory.entries) {
            const auto failure = [&factory, &entry](ErrorCode code, const std::string& message) {
                return phonecwmp::Unexpected(
                    error(code, entry.path,
                          factory.file + ": line " + std::to_string(entry.line) + ": " + message));
            };
            if (entry.kind == FactoryEntry::Kind::Instance) {
                const std::string_view trimmed =
                    std::string_view(entry.path).substr(0, entry.path.size() - 1);
                const std::size_t dot = trimmed.rfind('.');
                const std::optional<std::uint32_t> number =
                    dot == std::string_view::npos ? std::nullopt
                                                  : instance_number(trimmed.substr(dot + 1));
                const std::string table_path(trimmed.substr(0, dot + 1));
                const std::optional<Location> table = number ? resolve(table_path) : std::nullopt;
                if (!table || table->parameter || table->node->kind != SchemaNode::Kind::Table) {
                    return failure(ErrorCode::InvalidName,
                                   "\"" + entry.path +
                                       "\" is not an instance of a table (or its parent "
                                       "instance does not exist yet)");
                }
                std::set<std::uint32_t>& existing = instances[table->path];
                if (existing.count(*number)) {
                    return failure(ErrorCode::InvalidName,
                                   "instance \"" + entry.path + "\" is created twice");
                }
                const ObjectDefinition* definition = table->node->definition;
                if (definition && definition->max_entries &&
                    existing.size() >= *definition->max_entries) {
                    return failure(ErrorCode::ResourcesExceeded,
                                   "table \"" + table->path + "\" holds at most " +
                                       std::to_string(*definition->max_entries) + " instances");
                }
                existing.insert(*number);
                std::uint32_t& last = last_numbers[table->path];
                last = std::max(last, *number);
                change.added_instances.emplace_back(table->path, *number);
                for_each_parameter(*table->node->instance_template(), entry.path,
                                   [this, &written](const ParameterDefinition& parameter,
                                                    const std::string& path) {
                                       std::string value = initial_value(parameter, true);
                                       if (!parameter.syntax.command) written[path] = value;
                                       values.insert_or_assign(path, std::move(value));
                                   });
                continue;
            }
            const std::optional<Location> location = resolve(entry.path);
            if (!location || !location->parameter) {
                return failure(ErrorCode::InvalidName,
                               "\"" + entry.path + "\" is not a parameter of the data model");
            }
            if (location->parameter->syntax.command) {
                return failure(ErrorCode::InvalidValue,
                               "\"" + entry.path + "\" is a command and holds no value");
            }
            if (entry_count(*location->parameter, location->path)) {
                return failure(ErrorCode::InvalidValue,
                               "\"" + entry.path + "\" counts instances and cannot be set");
            }
            auto checked =
                check_value(location->parameter->syntax, entry.value, WriteOrigin::Device);
            if (!checked) {
                return failure(ErrorCode::InvalidValue, "invalid value \"" + entry.value +
                                                            "\" for \"" + entry.path +
                                                            "\": " + checked.error());
            }
            written[location->path] = *checked;
            values.insert_or_assign(location->path, std::move(*checked));
        }
        for (const auto& [table, last] : last_numbers) {
            std::uint32_t& counter = counters[table];
            counter = std::max(counter, last);
            change.counters.emplace_back(table, counter);
        }
        change.values.assign(written.begin(), written.end());
        return change;
    }

    // The value of a NumberOfEntries parameter (concrete path `path`): the
    // number of instances its table has now. nullopt for other parameters.
    std::optional<std::string> entry_count(const ParameterDefinition& parameter,
                                           std::string_view path) const {
        const auto it = entry_count_tables.find(&parameter);
        if (it == entry_count_tables.end()) return std::nullopt;
        std::string table(path.substr(0, path.rfind('.') + 1));
        table.append(it->second->name).append(".");
        return std::to_string(instances_of(table).size());
    }

    // The NumberOfEntries parameter counting the table at `table_path`
    // (concrete, ending in '.'), if the definitions name one.
    std::optional<std::string> entry_count_path(const SchemaNode& table,
                                                std::string_view table_path) const {
        if (!table.definition || !table.definition->num_entries_parameter) return std::nullopt;
        for (const auto& [parameter, counted] : entry_count_tables) {
            if (counted != &table) continue;
            const std::string_view trimmed = table_path.substr(0, table_path.size() - 1);
            return std::string(trimmed.substr(0, trimmed.rfind('.') + 1)) +
                   *table.definition->num_entries_parameter;
        }
        return std::nullopt;
    }

    Attributes current_attributes(const ParameterDefinition& parameter,
                                  const std::string& path) const {
        Attributes result;
        if (const auto it = attributes.find(path); it != attributes.end()) {
            result = it->second;
        } else if (parameter.active_notify == ActiveNotify::ForceDefaultEnabled) {
            result.notification = kActiveNotification;
        }
        if (parameter.active_notify == ActiveNotify::ForceEnabled) {
            result.notification = kActiveNotification;
        }
        return result;
    }

    std::string read_value(const Location& location) const {
        const Syntax& syntax = location.parameter->syntax;
        if (syntax.hidden) return std::string(null_value(syntax));
        return current_value(*location.parameter, location.path);
    }

    // One validated write of a change set.
    struct Pending {
        const ParameterDefinition* parameter;
        std::string path;
        std::string value;  // canonical
        ChangeSource source = ChangeSource::Device;
    };

    // The tree as a transaction would leave it: `overlay` on top of the
    // current values.
    class OverlayState final : public ProposedState {
    public:
        OverlayState(const Impl& impl, std::map<std::string, std::string, std::less<>> overlay)
            : impl_(impl), overlay_(std::move(overlay)) {
            for (const auto& entry : overlay_) written_.push_back(entry.first);
        }
        std::optional<std::string> value(std::string_view path) const override {
            if (const auto it = overlay_.find(path); it != overlay_.end()) return it->second;
            const std::optional<Location> location =
                is_partial_path(path) ? std::nullopt : impl_.resolve(path);
            if (!location || !location->parameter) return std::nullopt;
            return impl_.current_value(*location->parameter, location->path);
        }
        const std::vector<std::string>& written() const override { return written_; }

    private:
        const Impl& impl_;
        std::map<std::string, std::string, std::less<>> overlay_;
        std::vector<std::string> written_;
    };

    // Runs the cross-parameter rules that watch any parameter `state` writes.
    std::vector<Error> check_rules(const OverlayState& state) const {
        std::vector<Error> errors;
        for (const Rule& rule : rules) {
            const bool touched = std::any_of(
                state.written().begin(), state.written().end(), [&rule](const std::string& path) {
                    const std::string pattern = template_path(path);
                    return std::any_of(rule.watched.begin(), rule.watched.end(),
                                       [&pattern](const std::string& watched) {
                                           return is_partial_path(watched)
                                                      ? pattern.starts_with(watched)
                                                      : pattern == watched;
                                       });
                });
            if (!touched) continue;
            std::vector<Error> found = rule.check(state);
            errors.insert(errors.end(), std::make_move_iterator(found.begin()),
                          std::make_move_iterator(found.end()));
        }
        return errors;
    }

    // Checks every write of `changes` against the current tree (name,
    // writability for the controller's writes, type, facets, then
    // enumerationRef against the values the change set leaves behind).
    phonecwmp::Expected<std::vector<Pending>, std::vector<Error>> validate(
        const ChangeSet& changes) const {
        const std::size_t count = changes.writes.size() + changes.internal_writes.size();
        std::vector<std::optional<Error>> failures(count);
        std::vector<std::optional<Pending>> pending(count);
        std::set<std::string_view> seen;

        // First pass: each write on its own.
        for (std::size_t i = 0; i < count; ++i) {
            const bool controller = i < changes.writes.size();
            const ValueWrite& write =
                controller ? changes.writes[i] : changes.internal_writes[i - changes.writes.size()];
            if (!seen.insert(write.path).second) {
                failures[i] = error(ErrorCode::InvalidArguments, write.path,
                                    "the parameter is set more than once in one request");
                continue;
            }
            const std::optional<Location> location =
                is_partial_path(write.path) ? std::nullopt : resolve(write.path);
            if (!location || !location->parameter) {
                failures[i] = error(ErrorCode::InvalidName, write.path, "no such parameter");
                continue;
            }
            const ParameterDefinition& parameter = *location->parameter;
            if (controller && parameter.access != Access::ReadWrite) {
                failures[i] =
                    error(ErrorCode::NotWritable, write.path, "the parameter is read-only");
                continue;
            }
            const BaseType expected = value_type(parameter.syntax);
            if (write.declared_type && !types_compatible(*write.declared_type, expected)) {
                failures[i] = error(ErrorCode::InvalidType, write.path,
                                    "declared " + std::string(to_string(*write.declared_type)) +
                                        ", the parameter is " + std::string(to_string(expected)));
                continue;
            }
            const WriteOrigin origin = controller ? WriteOrigin::Controller : WriteOrigin::Device;
            auto checked = check_value(parameter.syntax, write.value, origin);
            if (!checked) {
                failures[i] = error(ErrorCode::InvalidValue, write.path, checked.error());
                continue;
            }
            if (parameter.syntax.path_ref && parameter.syntax.path_ref->strong) {
                const std::vector<std::string_view> items =
                    parameter.syntax.list ? list_items(*checked)
                                          : std::vector<std::string_view>{*checked};
                std::optional<Error> problem;
                for (const std::string_view item : items) {
                    if (item.empty()) continue;
                    if (auto why = reference_problem(*parameter.syntax.path_ref, item)) {
                        problem = error(ErrorCode::InvalidValue, write.path,
                                        "'" + std::string(item) + "': " + *why);
                        break;
                    }
                }
                if (problem) {
                    failures[i] = std::move(problem);
                    continue;
                }
            }
            if (const ParameterHooks* hook = hooks_of(parameter); hook && hook->validate) {
                if (auto refused = hook->validate(location->path, *checked)) {
                    failures[i] = error(ErrorCode::InvalidValue, write.path, std::move(*refused));
                    continue;
                }
            }
            pending[i] = Pending{&parameter, location->path, std::move(*checked),
                                 controller ? ChangeSource::Controller : changes.internal_source};
        }

        // Second pass: enumerationRef, against the values this change set leaves
        // behind (so that a list and a value taken from it may change together).
        std::map<std::string_view, std::string_view> new_values;
        for (const auto& entry : pending) {
            if (entry) new_values.emplace(entry->path, entry->value);
        }
        for (std::size_t i = 0; i < count; ++i) {
            if (!pending[i] || !pending[i]->parameter->syntax.enumeration_ref) continue;
            const Pending& entry = *pending[i];
            const EnumerationRef& reference = *entry.parameter->syntax.enumeration_ref;
            const std::string target = reference_target(entry.path, reference.target);
            std::string_view target_value;
            if (const auto it = new_values.find(target); it != new_values.end()) {
                target_value = it->second;
            } else if (const auto current = values.find(target); current != values.end()) {
                target_value = current->second;
            }
            const std::vector<std::string_view> allowed = list_items(target_value);
            const auto valid = [&](std::string_view item) {
                return (reference.null_value && item == *reference.null_value) ||
                       std::find(allowed.begin(), allowed.end(), item) != allowed.end();
            };
            const std::vector<std::string_view> items =
                entry.parameter->syntax.list ? list_items(entry.value)
                                             : std::vector<std::string_view>{entry.value};
            if (!std::all_of(items.begin(), items.end(), valid)) {
                failures[i] = error(ErrorCode::InvalidValue, entry.path,
                                    "'" + entry.value + "' is not among the values of " + target);
            }
        }

        // Third pass: unique keys of the instances written to.
        for (std::size_t i = 0; i < count; ++i) {
            if (!pending[i] || failures[i]) continue;
            if (auto clash = unique_key_clash(pending[i]->path, new_values)) failures[i] = clash;
        }

        std::vector<Error> errors;
        for (auto& failure : failures) {
            if (failure) errors.push_back(std::move(*failure));
        }
        if (!errors.empty()) return phonecwmp::Unexpected(std::move(errors));
        std::vector<Pending> valid;
        valid.reserve(count);
        for (auto& entry : pending) {
            if (entry) valid.push_back(std::move(*entry));
        }
        // Last, the rules across parameters, on the combined new state: the
        // single values are known to be valid by now.
        if (!rules.empty() && !valid.empty()) {
            std::vector<Error> broken = check_rules(OverlayState(*this, overlay_of(valid)));
            if (!broken.empty()) return phonecwmp::Unexpected(std::move(broken));
        }
        return valid;
    }

    static std::map<std::string, std::string, std::less<>> overlay_of(
        const std::vector<Pending>& pending) {
        std::map<std::string, std::string, std::less<>> overlay;
        for (const Pending& entry : pending) {
            if (!entry.parameter->syntax.command) overlay.emplace(entry.path, entry.value);
        }
        return overlay;
    }

    // Adds the stored part of validated writes, metadata and events to
    // `change`; new events get their ids here.
    void stage(const std::vector<Pending>& pending, const ChangeSet& changes,
               StoreChange& change) const {
        for (const Pending& entry : pending) {
            if (!entry.parameter->syntax.command)
                change.values.emplace_back(entry.path, entry.value);
        }
        change.meta.insert(change.meta.end(), changes.meta.begin(), changes.meta.end());
        std::uint64_t id = last_event_id;
        for (const PendingEvent& event : changes.queue_events) {
            change.added_events.push_back({++id, event.code, event.command_key});
        }
        change.removed_events = changes.drop_events;
    }

    phonecwmp::Expected<void, Error> write(const StoreChange& change) {
        if (!store) return {};
        return store->commit(change);
    }

    // Takes committed writes and metadata into memory; appends the values
    // that changed to `changed`.
    void take_over(const std::vector<Pending>& pending, const StoreChange& committed,
                   std::vector<ParameterChange>& changed) {
        for (const Pending& entry : pending) {
            if (entry.parameter->syntax.command) {
                // Never stored; each write is an action to report.
                changed.push_back({entry.path, entry.value, entry.source});
                continue;
            }
            std::string& current = values[entry.path];
            if (current != entry.value) {
                current = entry.value;
                changed.push_back({entry.path, entry.value, entry.source});
            }
        }
        if (!committed.removed_events.empty()) {
            std::erase_if(events, [&committed](const PendingEvent& event) {
                return std::find(committed.removed_events.begin(), committed.removed_events.end(),
                                 event.id) != committed.removed_events.end();
            });
        }
        for (const PendingEvent& event : committed.added_events) {
            events.push_back(event);
            last_event_id = event.id;
        }
        for (const MetaWrite& write : committed.meta) {
            if (write.value) {
                meta.insert_or_assign(write.key, *write.value);
            } else {
                meta.erase(write.key);
            }
        }
    }

    void notify(const std::vector<ParameterChange>& changed,
                const std::vector<std::pair<std::string, ObjectChange>>& objects) const {
        if (changed.empty() && objects.empty()) return;
        // Copies, so that an observer may add observers, stop observing or
        // write to the model.
        const auto object_observers_now = object_observers;
        const auto observers_now = observers;
        const auto subtree_observers_now = subtree_observers;
        for (const auto& [path, change] : objects) {
            for (const auto& entry : object_observers_now) {
                if (*entry.live) entry.observer(path, change);
            }
        }
        for (const ParameterChange& change : changed) {
            for (const auto& entry : observers_now) {
                if (*entry.live) entry.observer(change.path, change.value);
            }
        }
        for (const auto& [prefix, entry] : subtree_observers_now) {
            if (!*entry.live) continue;
            CommittedChanges below;
            for (const ParameterChange& change : changed) {
                if (change.path.starts_with(prefix)) below.parameters.push_back(change);
            }
            for (const auto& object : objects) {
                if (object.first.starts_with(prefix)) below.objects.push_back(object);
            }
            if (!below.parameters.empty() || !below.objects.empty()) entry.observer(below);
        }
    }

    // The concrete path of the parameter an enumerationRef names, relative to
    // the object holding `parameter_path`: each leading '#' moves up one
    // object (an instance and its table count as one step).
    static std::string reference_target(const std::string& parameter_path,
                                        std::string_view target) {
        std::string object = parameter_path.substr(0, parameter_path.rfind('.') + 1);
        while (!target.empty() && target.front() == '#') {
            target.remove_prefix(1);
            std::vector<std::string_view> segments;
            split_path(object, segments);
            std::size_t keep = segments.size();
            if (keep > 0) --keep;
            if (keep > 0 && instance_number(segments[keep])) --keep;
            std::string parent;
            for (std::size_t i = 0; i < keep; ++i) parent.append(segments[i]).append(".");
            object = std::move(parent);
        }
        if (!target.empty() && target.front() == '.') target.remove_prefix(1);
        return object + std::string(target);
    }
};

Model::Model(std::shared_ptr<const Definitions> definitions)
    : definitions_(std::move(definitions)), impl_(std::make_unique<Impl>(*definitions_)) {
    impl_->fill_defaults();
}

Model::~Model() = default;

phonecwmp::Expected<std::unique_ptr<Model>, Error> Model::open(
    std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file) {
    return open_store(std::move(definitions), store_file, nullptr);
}

phonecwmp::Expected<std::unique_ptr<Model>, Error> Model::open(
    std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file,
    const FactorySettings& factory) {
    return open_store(std::move(definitions), store_file, &factory);
}

phonecwmp::Expected<std::unique_ptr<Model>, Error> Model::open(
    std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file,
    const std::filesystem::path& factory_file) {
    const auto factory = load_factory_file(factory_file);
    if (!factory) {
        return phonecwmp::Unexpected(error(ErrorCode::InvalidValue, "",
                                           factory.error().file + ": " + factory.error().message));
    }
    return open_store(std::move(definitions), store_file, &*factory);
}

phonecwmp::Expected<std::unique_ptr<Model>, Error> Model::open_store(
    std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file,
    const FactorySettings* factory) {
    // The factory settings are checked on every start, so a broken file is
    // found at once and not only on the next factory reset.
    if (factory) {
        Model scratch(definitions);
        if (auto checked = scratch.impl_->apply_factory(*factory); !checked) {
            return phonecwmp::Unexpected(std::move(checked.error()));
        }
    }
    auto store = Store::open(store_file);
    if (!store) return phonecwmp::Unexpected(store.error());
    const auto contents = (*store)->read_all();
    if (!contents) return phonecwmp::Unexpected(contents.error());
    auto model = std::make_unique<Model>(std::move(definitions));
    model->impl_->load(*contents);
    // Nothing committed yet (a new store, or one a power cut left empty):
    // the device is as it left the factory, so it gets the factory settings,
    // in one transaction.
    const bool untouched =
        contents->values.empty() && contents->instances.empty() && contents->counters.empty();
    if (factory && untouched) {
        auto change = model->impl_->apply_factory(*factory);
        if (!change) return phonecwmp::Unexpected(std::move(change.error()));
        if (auto written = (*store)->commit(*change); !written) {
            return phonecwmp::Unexpected(written.error());
        }
    }
    model->freshly_created_ = (*store)->created();
    model->impl_->store = std::move(*store);
    if (factory) model->impl_->factory_settings = *factory;
    return model;
}

phonecwmp::Expected<std::vector<ValueRead>, Error> Model::get_values(
    const std::vector<std::string>& paths) const {
    std::vector<ValueRead> result;
    for (const std::string& path : paths) {
        const bool known = impl_->for_each_named(path, [this, &result](
                                                           const ParameterDefinition& parameter,
                                                           const std::string& full_path) {
            const Impl::Location found{nullptr, &parameter, full_path};
            result.push_back({full_path, impl_->read_value(found), value_type(parameter.syntax)});
        });
        if (!known) {
            return phonecwmp::Unexpected(
                error(ErrorCode::InvalidName, path, "no such parameter or object"));
        }
    }
    return result;
}

phonecwmp::Expected<std::vector<NameInfo>, Error> Model::get_names(std::string_view path,
                                                                   bool next_level) const {
    const std::optional<Impl::Location> location = impl_->resolve(path);
    if (!location) {
        return phonecwmp::Unexpected(
            error(ErrorCode::InvalidName, std::string(path), "no such parameter or object"));
    }
    std::vector<NameInfo> names;
    if (location->parameter) {
        if (next_level) {
            return phonecwmp::Unexpected(
                error(ErrorCode::InvalidArguments, std::string(path), "next level of a parameter"));
        }
        names.push_back({location->path, location->parameter->access == Access::ReadWrite});
        return names;
    }
    if (!next_level && !path.empty()) {
        names.push_back({location->path, location->node->writable()});
    }
    impl_->names_below(*location->node, location->path, !next_level, names);
    return names;
}

phonecwmp::Expected<void, std::vector<Error>> Model::set_values(
    const std::vector<ValueWrite>& writes) {
    return apply(ChangeSet{.writes = writes});
}

phonecwmp::Expected<void, std::vector<Error>> Model::set_internal(
    const std::vector<ValueWrite>& writes) {
    return apply(ChangeSet{.internal_writes = writes});
}

phonecwmp::Expected<void, std::vector<Error>> Model::apply(const ChangeSet& changes) {
    auto pending = impl_->validate(changes);
    if (!pending) return phonecwmp::Unexpected(std::move(pending.error()));
    // Commit: store first, then memory, then observers.
    StoreChange change;
    impl_->stage(*pending, changes, change);
    if (const auto written = impl_->write(change); !written) {
        return phonecwmp::Unexpected(std::vector<Error>{written.error()});
    }
    std::vector<ParameterChange> changed;
    impl_->take_over(*pending, change, changed);
    impl_->notify(changed, {});
    return {};
}

// Fault choices (the agent maps InvalidName to 9005, ResourcesExceeded to
// 9004): TR-069 has no dedicated fault for an AddObject/DeleteObject the
// table does not allow, and CPEs (and ACSs such as GenieACS) use 9005
// "Invalid parameter name" for a path that names no table whose instances
// the controller may create or delete, for an instance that does not exist
// and for a deletion below minEntries; maxEntries reached is 9004
// "Resources exceeded".
phonecwmp::Expected<std::uint32_t, Error> Model::add_object(std::string_view table_path,
                                                            const ChangeSet& alongside) {
    const std::string path(table_path);
    const std::optional<Impl::Location> location =
        is_partial_path(table_path) && !table_path.empty() ? impl_->resolve(table_path)
                                                           : std::nullopt;
    if (!location || location->node->kind != SchemaNode::Kind::Table ||
        !location->node->writable()) {
        return phonecwmp::Unexpected(
            error(ErrorCode::InvalidName, path, "not a table whose instances can be added"));
    }
    const SchemaNode& table = *location->node;
    const std::set<std::uint32_t>& existing = impl_->instances_of(location->path);
    if (table.definition->max_entries && existing.size() >= *table.definition->max_entries) {
        return phonecwmp::Unexpected(error(ErrorCode::ResourcesExceeded, path,
                                           "the table holds its maximum of " +
                                               std::to_string(*table.definition->max_entries) +
                                               " instances"));
    }
    std::uint32_t last = existing.empty() ? 0 : *existing.rbegin();
    if (const auto counter = impl_->counters.find(location->path);
        counter != impl_->counters.end()) {
        last = std::max(last, counter->second);
    }
    if (last == std::numeric_limits<std::uint32_t>::max()) {
        return phonecwmp::Unexpected(
            error(ErrorCode::ResourcesExceeded, path, "no instance number left"));
    }
    auto pending = impl_->validate(alongside);
    if (!pending) return phonecwmp::Unexpected(std::move(pending.error().front()));

    const std::uint32_t number = last + 1;
    const std::string instance = location->path + std::to_string(number) + ".";
    std::vector<std::pair<const ParameterDefinition*, std::string>> parameters;
    impl_->for_each_parameter(
        *table.instance_template(), instance,
        [&parameters](const ParameterDefinition& parameter, const std::string& parameter_path) {
            parameters.emplace_back(&parameter, parameter_path);
        });
    // TR-181: an Alias the controller did not give is chosen by the device,
    // with the "cpe-" prefix, unique in its table.
    const auto initial = [&instance, number](const ParameterDefinition& parameter,
                                             const std::string& parameter_path) {
        std::string value = Impl::initial_value(parameter, true);
        if (value.empty() && parameter_path == instance + "Alias" &&
            parameter.access == Access::ReadWrite) {
            value = "cpe-" + std::to_string(number);
        }
        return value;
    };
    StoreChange change;
    change.added_instances.emplace_back(location->path, number);
    change.counters.emplace_back(location->path, number);
    for (const auto& [parameter, parameter_path] : parameters) {
        if (!parameter->syntax.command) {
            change.values.emplace_back(parameter_path, initial(*parameter, parameter_path));
        }
    }
    if (!impl_->rules.empty()) {
        // The new instance's defaults count as written: a rule may refuse them.
        auto overlay = Impl::overlay_of(*pending);
        for (const auto& [written, value] : change.values) overlay.emplace(written, value);
        std::vector<Error> broken =
            impl_->check_rules(Impl::OverlayState(*impl_, std::move(overlay)));
        if (!broken.empty()) return phonecwmp::Unexpected(std::move(broken.front()));
    }
    impl_->stage(*pending, alongside, change);
    if (const auto written = impl_->write(change); !written) {
        return phonecwmp::Unexpected(written.error());
    }

    impl_->instances[location->path].insert(number);
    impl_->counters[location->path] = number;
    std::vector<ParameterChange> changed;
    for (const auto& [parameter, parameter_path] : parameters) {
        const std::string& value =
            impl_->values.insert_or_assign(parameter_path, initial(*parameter, parameter_path))
                .first->second;
        if (!parameter->syntax.command) {
            changed.push_back({parameter_path, value, ChangeSource::Controller});
        }
    }
    if (auto count_path = impl_->entry_count_path(table, location->path)) {
        if (auto count = value(*count_path)) {
            changed.push_back({*count_path, *count, ChangeSource::Controller});
        }
    }
    impl_->take_over(*pending, change, changed);
    impl_->notify(changed, {{instance, ObjectChange::Added}});
    return number;
}

phonecwmp::Expected<void, Error> Model::delete_object(std::string_view instance_path,
                                                      const ChangeSet& alongside) {
    const std::string path(instance_path);
    const std::optional<Impl::Location> location =
        is_partial_path(instance_path) && !instance_path.empty() ? impl_->resolve(instance_path)
                                                                 : std::nullopt;
    if (!location || location->node->kind != SchemaNode::Kind::Instance ||
        !location->node->writable()) {
        return phonecwmp::Unexpected(
            error(ErrorCode::InvalidName, path, "not an instance that can be deleted"));
    }
    const SchemaNode& table = *location->node->parent;
    const std::string_view trimmed =
        std::string_view(location->path).substr(0, location->path.size() - 1);
    const std::string table_path(trimmed.substr(0, trimmed.rfind('.') + 1));
    const std::uint32_t number = *instance_number(trimmed.substr(table_path.size()));
    const std::set<std::uint32_t>& existing = impl_->instances_of(table_path);
    if (existing.size() <= location->node->definition->min_entries) {
        return phonecwmp::Unexpected(
            error(ErrorCode::InvalidName, path,
                  "the table must keep at least " +
                      std::to_string(location->node->definition->min_entries) + " instances"));
    }
    auto pending = impl_->validate(alongside);
    if (!pending) return phonecwmp::Unexpected(std::move(pending.error().front()));

    // Numbering goes on after the highest number ever used, also when that
    // instance came from the store or the factory file and not from
    // add_object.
    std::uint32_t last = *existing.rbegin();
    if (const auto counter = impl_->counters.find(table_path); counter != impl_->counters.end()) {
        last = std::max(last, counter->second);
    }
    StoreChange change;
    change.removed_instances.emplace_back(table_path, number);
    change.counters.emplace_back(table_path, last);
    const std::vector<std::pair<std::string, std::string>> cleared =
        impl_->references_into(location->path);
    change.values.insert(change.values.end(), cleared.begin(), cleared.end());
    impl_->stage(*pending, alongside, change);
    if (const auto written = impl_->write(change); !written) {
        return phonecwmp::Unexpected(written.error());
    }

    const std::string& prefix = location->path;
    const auto below = [&prefix](const std::string& key) {
        return key.compare(0, prefix.size(), prefix) == 0;
    };
    impl_->counters[table_path] = last;
    impl_->instances[table_path].erase(number);
    std::erase_if(impl_->instances, [&below](const auto& entry) { return below(entry.first); });
    std::erase_if(impl_->counters, [&below](const auto& entry) { return below(entry.first); });
    std::erase_if(impl_->values, [&below](const auto& entry) { return below(entry.first); });
    std::erase_if(impl_->attributes, [&below](const auto& entry) { return below(entry.first); });
    std::vector<ParameterChange> changed;
    for (const auto& [reference, kept] : cleared) {
        impl_->values[reference] = kept;
        changed.push_back({reference, kept, ChangeSource::Controller});
    }
    if (auto count_path = impl_->entry_count_path(table, table_path)) {
        if (auto count = value(*count_path)) {
            changed.push_back({*count_path, *count, ChangeSource::Controller});
        }
    }
    impl_->take_over(*pending, change, changed);
    impl_->notify(changed, {{prefix, ObjectChange::Removed}});
    return {};
}

phonecwmp::Expected<std::vector<AttributeRead>, Error> Model::get_attributes(
    const std::vector<std::string>& paths) const {
    std::vector<AttributeRead> result;
    for (const std::string& path : paths) {
        const bool known = impl_->for_each_named(
            path,
            [this, &result](const ParameterDefinition& parameter, const std::string& full_path) {
                result.push_back({full_path, impl_->current_attributes(parameter, full_path)});
            });
        if (!known) {
            return phonecwmp::Unexpected(
                error(ErrorCode::InvalidName, path, "no such parameter or object"));
        }
    }
    return result;
}

phonecwmp::Expected<void, Error> Model::set_attributes(const std::vector<AttributeWrite>& writes) {
    // The new attributes of every parameter the request touches; nothing is
    // committed until every entry has been checked for every parameter.
    std::map<std::string, Attributes> updated;
    for (const AttributeWrite& write : writes) {
        if (write.notification &&
            (*write.notification < 0 || *write.notification > kMaxNotification)) {
            return phonecwmp::Unexpected(
                error(ErrorCode::InvalidArguments, write.path,
                      "Notification " + std::to_string(*write.notification) + " is not 0 to 6"));
        }
        if (write.access_list) {
            for (const std::string& entry : *write.access_list) {
                if (entry != kSubscriber) {
                    return phonecwmp::Unexpected(
                        error(ErrorCode::InvalidArguments, write.path,
                              "AccessList entry '" + entry + "' is not Subscriber"));
                }
            }
        }
        const std::optional<Impl::Location> location = impl_->resolve(write.path);
        if (!location) {
            return phonecwmp::Unexpected(
                error(ErrorCode::InvalidName, write.path, "no such parameter or object"));
        }
        std::vector<std::pair<const ParameterDefinition*, std::string>> covered;
        if (location->parameter) {
            covered.emplace_back(location->parameter, location->path);
        } else {
            impl_->for_each_parameter(
                *location->node, location->path,
                [&covered](const ParameterDefinition& parameter, const std::string& full_path) {
                    covered.emplace_back(&parameter, full_path);
                });
        }
        for (const auto& [parameter, path] : covered) {
            Attributes& attributes =
                updated.try_emplace(path, impl_->current_attributes(*parameter, path))
                    .first->second;
            if (write.notification) {
                const int notification = *write.notification;
                const char* refusal = nullptr;
                if (parameter->active_notify == ActiveNotify::ForceEnabled &&
                    notification != kActiveNotification) {
                    refusal = "active notification is always on for this parameter";
                } else if (parameter->active_notify == ActiveNotify::CanDeny &&
                           is_active(notification)) {
                    refusal = "active notification is refused for this parameter";
                }
                // Named by its full path, a refused parameter fails the
                // request (9009). Under a partial path it keeps its
                // notification and the others change: a bulk "passive for
                // Device." must not fail on SoftwareVersion or UpTime.
                if (refusal != nullptr && location->parameter != nullptr) {
                    return phonecwmp::Unexpected(
                        error(ErrorCode::NotificationRejected, path, refusal));
                }
                if (refusal == nullptr) {
                    attributes.notification = notification;
                }
            }
            if (write.access_list) {
                // One "Subscriber" however often it was named.
                attributes.access_list.clear();
                if (!write.access_list->empty()) attributes.access_list.emplace_back(kSubscriber);
            }
        }
    }
    StoreChange change;
    for (const auto& [path, attributes] : updated) {
        change.attributes.push_back(
            {path, attributes.notification, join_access_list(attributes.access_list)});
    }
    if (const auto written = impl_->write(change); !written) {
        return phonecwmp::Unexpected(written.error());
    }
    for (auto& [path, attributes] : updated) {
        impl_->attributes.insert_or_assign(path, std::move(attributes));
    }
    return {};
}

std::optional<std::string> Model::meta(std::string_view key) const {
    const auto it = impl_->meta.find(key);
    if (it == impl_->meta.end()) return std::nullopt;
    return it->second;
}

phonecwmp::Expected<void, Error> Model::set_meta(std::string_view key, std::string_view value) {
    const auto applied =
        apply(ChangeSet{.meta = {MetaWrite{std::string(key), std::string(value)}}});
    if (!applied) return phonecwmp::Unexpected(applied.error().front());
    return {};
}

phonecwmp::Expected<void, Error> Model::erase_meta(std::string_view key) {
    const auto applied = apply(ChangeSet{.meta = {MetaWrite{std::string(key), std::nullopt}}});
    if (!applied) return phonecwmp::Unexpected(applied.error().front());
    return {};
}

std::optional<std::string> Model::value(std::string_view path) const {
    const auto it = impl_->values.find(std::string(path));
    if (it == impl_->values.end()) return std::nullopt;
    if (const ParameterDefinition* parameter = definitions_->find_parameter(template_path(path))) {
        return impl_->current_value(*parameter, it->first);
    }
    return it->second;
}

ObserverId Model::observe(ChangeObserver observer) {
    const ObserverId id{impl_->next_observer_id++};
    impl_->observers.push_back({id, std::make_shared<bool>(true), std::move(observer)});
    return id;
}

ObserverId Model::observe_objects(ObjectObserver observer) {
    const ObserverId id{impl_->next_observer_id++};
    impl_->object_observers.push_back({id, std::make_shared<bool>(true), std::move(observer)});
    return id;
}

ObserverId Model::observe_subtree(std::string prefix, SubtreeObserver observer) {
    const ObserverId id{impl_->next_observer_id++};
    impl_->subtree_observers.emplace_back(
        std::move(prefix),
        Impl::Registered<SubtreeObserver>{id, std::make_shared<bool>(true), std::move(observer)});
    return id;
}

void Model::stop_observing(ObserverId id) {
    const auto stop = [id](auto& entry) {
        if (entry.id != id) return false;
        *entry.live = false;
        return true;
    };
    std::erase_if(impl_->observers, stop);
    std::erase_if(impl_->object_observers, stop);
    std::erase_if(impl_->subtree_observers, [&stop](auto& item) { return stop(item.second); });
}

phonecwmp::Expected<void, Error> Model::register_parameter(std::string_view template_path,
                                                           ParameterHooks hooks) {
    const ParameterDefinition* parameter = definitions_->find_parameter(template_path);
    if (!parameter) {
        return phonecwmp::Unexpected(error(ErrorCode::InvalidName, std::string(template_path),
                                           "no such parameter in the definitions"));
    }
    impl_->hooks.insert_or_assign(parameter, std::move(hooks));
    return {};
}

void Model::live_value_changed(std::string_view path) {
    const std::optional<Impl::Location> location =
        is_partial_path(path) ? std::nullopt : impl_->resolve(path);
    if (!location || !location->parameter) return;
    impl_->notify({{location->path, impl_->current_value(*location->parameter, location->path),
                    ChangeSource::Device}},
                  {});
}

std::vector<std::string> Model::live_parameters() const {
    std::vector<std::string> paths;
    if (impl_->hooks.empty()) return paths;
    impl_->for_each_parameter(
        impl_->tree.root(), "",
        [this, &paths](const ParameterDefinition& parameter, const std::string& path) {
            if (const ParameterHooks* hook = impl_->hooks_of(parameter); hook && hook->get) {
                paths.push_back(path);
            }
        });
    return paths;
}

void Model::add_rule(std::vector<std::string> watched, CrossParameterRule rule) {
    impl_->rules.push_back({std::move(watched), std::move(rule)});
}

const std::vector<PendingEvent>& Model::pending_events() const {
    return impl_->events;
}

phonecwmp::Expected<void, Error> Model::factory_reset() {
    // The new state is built aside and takes over only once it is committed.
    Model fresh(definitions_);
    StoreChange change;
    if (impl_->factory_settings) {
        auto applied = fresh.impl_->apply_factory(*impl_->factory_settings);
        if (!applied) return phonecwmp::Unexpected(std::move(applied.error()));
        change = std::move(*applied);
    }
    change.erase_everything = true;
    if (const auto written = impl_->write(change); !written) {
        return phonecwmp::Unexpected(written.error());
    }
    Impl& now = *impl_;
    Impl& next = *fresh.impl_;
    std::vector<std::pair<std::string, ObjectChange>> objects;
    const auto instance_paths = [](const Impl& impl) {
        std::set<std::string> paths;
        for (const auto& [table, numbers] : impl.instances) {
            for (const std::uint32_t number : numbers) {
                paths.insert(table + std::to_string(number) + ".");
            }
        }
        return paths;
    };
    const std::set<std::string> before = instance_paths(now);
    const std::set<std::string> after = instance_paths(next);
    for (const std::string& path : before) {
        if (!after.count(path)) objects.emplace_back(path, ObjectChange::Removed);
    }
    for (const std::string& path : after) {
        if (!before.count(path)) objects.emplace_back(path, ObjectChange::Added);
    }
    std::vector<ParameterChange> changed;
    for (const auto& [path, value] : next.values) {
        const auto old = now.values.find(path);
        if (old == now.values.end() || old->second != value) {
            changed.push_back({path, value, ChangeSource::Device});
        }
    }
    std::sort(changed.begin(), changed.end(),
              [](const ParameterChange& a, const ParameterChange& b) { return a.path < b.path; });
    now.values = std::move(next.values);
    now.instances = std::move(next.instances);
    now.counters = std::move(next.counters);
    now.attributes.clear();
    now.meta.clear();
    now.events.clear();
    now.last_event_id = 0;
    freshly_created_ = true;
    impl_->notify(changed, objects);
    return {};
}

}  // namespace datamodel
