// Which changed values the controller must be told of, by the parameters'
// Notification attribute: passive ones wait for the next report, active ones
// ask for a report at once. Changes made by the controller itself are never
// reported back to it.
//
// Stored parameters are followed through the model's commits. Live
// parameters (Model::register_parameter with a getter) are followed two
// ways, neither of them polling: their subsystem signals a change with
// Model::live_value_changed (needed for active notification), and every
// call of pending() samples the live parameters with notification on
// against the value last reported, so passive changes are never missed.
//
// Lightweight notifications (3 to 6) are UDP messages this device does not
// send; their passive part (4, 6) counts as passive.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "datamodel/model.hpp"

namespace datamodel {

class NotificationTracker {
public:
    struct Change {
        std::string path;
        std::string value;
        bool active = false;
        friend bool operator==(const Change&, const Change&) = default;
    };

    // Subscribes to `model`, which must outlive the tracker.
    explicit NotificationTracker(Model& model);
    NotificationTracker(const NotificationTracker&) = delete;
    NotificationTracker& operator=(const NotificationTracker&) = delete;

    // Called after the commit that made an active change pending.
    void on_active_change(std::function<void()> callback) { on_active_ = std::move(callback); }

    // The changes to report now, one per parameter with its latest value, in
    // path order. Samples the live parameters.
    std::vector<Change> pending();
    bool active_pending() const;

    // The controller has received these (e.g. an acknowledged Inform): they
    // are forgotten, unless the value changed again since.
    void reported(const std::vector<Change>& changes);

    // Everything pending is dropped (e.g. a new controller bootstraps and
    // reads the whole state anyway).
    void clear();

private:
    enum class Kind { None, Passive, Active };
    Kind kind_of(const std::string& path) const;
    void on_commit(const CommittedChanges& changes);
    void sample_live();

    Model& model_;
    std::map<std::string, Change> pending_;
    // Live parameters with notification on: the value last reported (or
    // first seen).
    std::map<std::string, std::string> live_baseline_;
    std::function<void()> on_active_;
    // Last: the model stops calling this object before its members go.
    Observations observations_{model_};
};

}  // namespace datamodel
