#include "datamodel/notification_tracker.hpp"

#include <algorithm>
#include <set>

#include "datamodel/path.hpp"
#include "datamodel/value_syntax.hpp"

namespace datamodel {

namespace {
// What the controller may see of a value: nothing of a hidden one.
std::string visible(const Model& model, const std::string& path, std::string value) {
    const ParameterDefinition* parameter = model.definitions().find_parameter(template_path(path));
    if (parameter && parameter->syntax.hidden) return std::string(null_value(parameter->syntax));
    return value;
}
}  // namespace

NotificationTracker::NotificationTracker(Model& model) : model_(model) {
    observations_.add(model_.observe_subtree(
        "", [this](const CommittedChanges& changes) { on_commit(changes); }));
}

NotificationTracker::Kind NotificationTracker::kind_of(const std::string& path) const {
    const auto attributes = model_.get_attributes({path});
    if (!attributes || attributes->empty()) return Kind::None;
    switch (attributes->front().attributes.notification) {
        case 1:
        case 4:
        case 6:
            return Kind::Passive;
        case 2:
            return Kind::Active;
        default:
            return Kind::None;
    }
}

void NotificationTracker::on_commit(const CommittedChanges& changes) {
    bool active = false;
    for (const ParameterChange& change : changes.parameters) {
        if (change.source == ChangeSource::Controller) {
            // The controller knows the value it wrote; an older pending
            // change of the same parameter is obsolete.
            pending_.erase(change.path);
            if (live_baseline_.count(change.path)) live_baseline_[change.path] = change.value;
            continue;
        }
        const Kind kind = kind_of(change.path);
        if (kind == Kind::None) continue;
        if (const auto baseline = live_baseline_.find(change.path);
            baseline != live_baseline_.end() && baseline->second == change.value) {
            pending_.erase(change.path);  // back to what the controller last saw
            continue;
        }
        Change& entry = pending_[change.path];
        entry.path = change.path;
        entry.value = visible(model_, change.path, change.value);
        entry.active = kind == Kind::Active;
        active = active || entry.active;
    }
    for (const auto& [path, what] : changes.objects) {
        if (what != ObjectChange::Removed) continue;
        // A deleted instance has nothing left to report.
        std::erase_if(pending_,
                      [&path = path](const auto& entry) { return entry.first.starts_with(path); });
        std::erase_if(live_baseline_,
                      [&path = path](const auto& entry) { return entry.first.starts_with(path); });
    }
    if (active && on_active_) on_active_();
}

void NotificationTracker::sample_live() {
    std::set<std::string> watched;
    for (const std::string& path : model_.live_parameters()) {
        const Kind kind = kind_of(path);
        if (kind == Kind::None) continue;
        watched.insert(path);
        const std::string value = visible(model_, path, model_.value(path).value_or(""));
        const auto [baseline, first_seen] = live_baseline_.try_emplace(path, value);
        if (first_seen || baseline->second == value) continue;
        Change& entry = pending_[path];
        entry.path = path;
        entry.value = value;
        entry.active = entry.active || kind == Kind::Active;
    }
    // Notification switched off, or the instance gone: start afresh if it
    // is switched on again.
    std::erase_if(live_baseline_,
                  [&watched](const auto& entry) { return !watched.count(entry.first); });
}

std::vector<NotificationTracker::Change> NotificationTracker::pending() {
    sample_live();
    std::vector<Change> changes;
    changes.reserve(pending_.size());
    for (const auto& entry : pending_) changes.push_back(entry.second);
    return changes;
}

bool NotificationTracker::active_pending() const {
    return std::any_of(pending_.begin(), pending_.end(),
                       [](const auto& entry) { return entry.second.active; });
}

void NotificationTracker::reported(const std::vector<Change>& changes) {
    for (const Change& change : changes) {
        if (const auto baseline = live_baseline_.find(change.path);
            baseline != live_baseline_.end()) {
            baseline->second = change.value;
        }
        const auto it = pending_.find(change.path);
        if (it != pending_.end() && it->second.value == change.value) pending_.erase(it);
    }
}

void NotificationTracker::clear() {
    pending_.clear();
    for (auto& [path, value] : live_baseline_) {
        value = visible(model_, path, model_.value(path).value_or(""));
    }
}

}  // namespace datamodel
