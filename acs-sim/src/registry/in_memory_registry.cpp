#include "registry/in_memory_registry.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_set>

#include "cwmp/event_codes.hpp"

namespace acssim {

namespace {

bool is_object_path(std::string_view name) {
    return !name.empty() && name.back() == '.';
}

// The cache entries at or under `root` ("" is everything, "A.B." an object's
// subtree, "A.B" one parameter), as an iterator range.
template <class Map>
auto subtree(Map& parameters, std::string_view root) {
    if (root.empty()) return std::pair{parameters.begin(), parameters.end()};
    if (!is_object_path(root)) {
        auto found = parameters.find(root);
        if (found == parameters.end()) return std::pair{found, found};
        return std::pair{found, std::next(found)};
    }
    auto first = parameters.lower_bound(root);
    auto last = first;
    while (last != parameters.end() && std::string_view{last->first}.starts_with(root)) ++last;
    return std::pair{first, last};
}

template <class Changed>
void apply_values(DeviceRecord& record, const std::vector<cwmp::ParameterValue>& values,
                  TimePoint now, Changed changed) {
    for (const auto& value : values) {
        if (value.name.empty() || is_object_path(value.name)) continue;
        auto& entry = record.parameters[value.name];
        entry.object = false;
        entry.value = value.value;
        if (!value.type.empty()) entry.type = value.type;
        entry.timestamp = now;
        changed(value.name);
    }
}

bool has_event(const cwmp::Inform& inform, std::string_view code) {
    return std::any_of(inform.event.begin(), inform.event.end(),
                       [&](const cwmp::EventStruct& event) { return event.event_code == code; });
}

}  // namespace

// ---- observer and restore -------------------------------------------------------

void InMemoryRegistry::parameter_changed(std::string_view device_id, std::string_view name) {
    if (observer_ != nullptr) observer_->parameter_changed(device_id, name);
}

void InMemoryRegistry::task_changed(std::string_view task_id) {
    if (observer_ != nullptr) observer_->task_changed(task_id);
}

void InMemoryRegistry::restore_device(DeviceRecord device) {
    auto id = device.id;
    devices_.insert_or_assign(std::move(id), std::move(device));
}

void InMemoryRegistry::restore_task(Task task, std::uint64_t sequence) {
    next_sequence_ = std::max(next_sequence_, sequence + 1);
    if (task.state == TaskState::Done) {
        remember_done(sequence, std::move(task));
        return;
    }
    sequence_by_id_[task.id] = sequence;
    sequences_by_device_[task.device_id].insert(sequence);
    open_tasks_.insert_or_assign(sequence, std::move(task));
}

const DeviceRecord* InMemoryRegistry::device_view(std::string_view device_id) const {
    auto found = devices_.find(device_id);
    return found == devices_.end() ? nullptr : &found->second;
}

std::optional<InMemoryRegistry::TaskEntry> InMemoryRegistry::task_entry(
    std::string_view task_id) const {
    const std::string id{task_id};
    if (auto open = sequence_by_id_.find(id); open != sequence_by_id_.end()) {
        return TaskEntry{&open_tasks_.at(open->second), open->second};
    }
    if (auto done = done_sequence_by_id_.find(id); done != done_sequence_by_id_.end()) {
        return TaskEntry{&done_tasks_.at(done->second), done->second};
    }
    return std::nullopt;
}

const Preset* InMemoryRegistry::preset_view(std::string_view name) const {
    auto found = presets_.find(name);
    return found == presets_.end() ? nullptr : &found->second;
}

// ---- devices -----------------------------------------------------------------

DeviceRecord* InMemoryRegistry::device(std::string_view device_id) {
    auto found = devices_.find(device_id);
    return found == devices_.end() ? nullptr : &found->second;
}

bool InMemoryRegistry::record_inform(std::string_view device_id, const cwmp::Inform& inform,
                                     TimePoint now) {
    auto [position, created] = devices_.try_emplace(std::string{device_id});
    DeviceRecord& record = position->second;
    if (created) {
        record.id = std::string{device_id};
        record.registered = now;
    }
    record.device_id = inform.device_id;
    record.last_inform = now;
    record.last_events = inform.event;
    if (has_event(inform, cwmp::event::kBoot)) record.last_boot = now;
    if (has_event(inform, cwmp::event::kBootstrap)) record.last_bootstrap = now;
    if (observer_ != nullptr) observer_->device_changed(device_id);
    apply_values(record, inform.parameter_list, now,
                 [&](const std::string& name) { parameter_changed(device_id, name); });
    return created;
}

bool InMemoryRegistry::has_device(std::string_view device_id) const {
    return devices_.find(device_id) != devices_.end();
}

std::optional<DeviceRecord> InMemoryRegistry::find_device(std::string_view device_id) const {
    auto found = devices_.find(device_id);
    if (found == devices_.end()) return std::nullopt;
    return found->second;
}

std::optional<CachedParameter> InMemoryRegistry::find_parameter(std::string_view device_id,
                                                                std::string_view name) const {
    auto found = devices_.find(device_id);
    if (found == devices_.end()) return std::nullopt;
    auto parameter = found->second.parameters.find(name);
    if (parameter == found->second.parameters.end()) return std::nullopt;
    return parameter->second;
}

void InMemoryRegistry::for_each_device(
    const std::function<void(const DeviceRecord&)>& visit) const {
    for (const auto& [id, record] : devices_) visit(record);
}

void InMemoryRegistry::store_values(std::string_view device_id,
                                    const std::vector<cwmp::ParameterValue>& values,
                                    TimePoint now) {
    if (auto* record = device(device_id)) {
        apply_values(*record, values, now,
                     [&](const std::string& name) { parameter_changed(device_id, name); });
    }
}

void InMemoryRegistry::store_names(std::string_view device_id, std::string_view root,
                                   const std::vector<cwmp::ParameterInfo>& names, bool complete,
                                   TimePoint now) {
    auto* record = device(device_id);
    if (record == nullptr) return;
    if (complete) {
        std::unordered_set<std::string_view> listed;
        for (const auto& info : names) listed.insert(info.name);
        auto [first, last] = subtree(record->parameters, root);
        while (first != last) {
            if (listed.contains(first->first)) {
                ++first;
            } else {
                parameter_changed(device_id, first->first);
                first = record->parameters.erase(first);
            }
        }
    }
    for (const auto& info : names) {
        if (info.name.empty()) continue;
        auto& entry = record->parameters[info.name];
        entry.object = is_object_path(info.name);
        if (entry.object) entry.value.reset();
        entry.writable = info.writable;
        entry.timestamp = now;
        parameter_changed(device_id, info.name);
    }
}

void InMemoryRegistry::remove_subtree(std::string_view device_id, std::string_view object_name) {
    auto* record = device(device_id);
    if (record == nullptr || object_name.empty()) return;
    auto [first, last] = subtree(record->parameters, object_name);
    for (auto it = first; it != last; ++it) parameter_changed(device_id, it->first);
    record->parameters.erase(first, last);
}

void InMemoryRegistry::store_notifications(
    std::string_view device_id, const std::vector<std::pair<std::string, int>>& notifications,
    TimePoint now) {
    auto* record = device(device_id);
    if (record == nullptr) return;
    for (const auto& [name, notification] : notifications) {
        if (name.empty()) continue;
        auto& entry = record->parameters[name];
        entry.object = is_object_path(name);
        entry.notification = notification;
        entry.timestamp = now;
        parameter_changed(device_id, name);
    }
}

bool InMemoryRegistry::delete_device(std::string_view device_id) {
    auto found = devices_.find(device_id);
    if (found == devices_.end()) return false;
    for (const auto& [name, parameter] : found->second.parameters) {
        parameter_changed(device_id, name);
    }
    devices_.erase(found);
    if (observer_ != nullptr) observer_->device_changed(device_id);
    if (auto tasks = sequences_by_device_.find(device_id); tasks != sequences_by_device_.end()) {
        const auto sequences = tasks->second;  // erase_open_task edits the set
        for (const auto sequence : sequences) {
            task_changed(open_tasks_.at(sequence).id);
            erase_open_task(sequence);
        }
    }
    return true;
}

// ---- tasks -------------------------------------------------------------------

void InMemoryRegistry::add_task(Task task) {
    const auto sequence = next_sequence_++;
    task_changed(task.id);
    sequence_by_id_[task.id] = sequence;
    sequences_by_device_[task.device_id].insert(sequence);
    open_tasks_.emplace(sequence, std::move(task));
}

Task* InMemoryRegistry::open_task(std::string_view task_id) {
    auto found = sequence_by_id_.find(std::string{task_id});
    if (found == sequence_by_id_.end()) return nullptr;
    return &open_tasks_.at(found->second);
}

void InMemoryRegistry::erase_open_task(std::uint64_t sequence) {
    auto found = open_tasks_.find(sequence);
    if (found == open_tasks_.end()) return;
    sequence_by_id_.erase(found->second.id);
    auto device_tasks = sequences_by_device_.find(found->second.device_id);
    if (device_tasks != sequences_by_device_.end()) {
        device_tasks->second.erase(sequence);
        if (device_tasks->second.empty()) sequences_by_device_.erase(device_tasks);
    }
    open_tasks_.erase(found);
}

std::optional<Task> InMemoryRegistry::find_task(std::string_view task_id) const {
    if (auto entry = task_entry(task_id)) return *entry->task;
    return std::nullopt;
}

std::optional<Task> InMemoryRegistry::next_pending_task(std::string_view device_id) const {
    auto found = sequences_by_device_.find(device_id);
    if (found == sequences_by_device_.end()) return std::nullopt;
    for (const auto sequence : found->second) {
        const Task& task = open_tasks_.at(sequence);
        if (task.state == TaskState::Pending) return task;
    }
    return std::nullopt;
}

std::vector<Task> InMemoryRegistry::open_tasks() const {
    std::vector<Task> tasks;
    tasks.reserve(open_tasks_.size());
    for (const auto& [sequence, task] : open_tasks_) tasks.push_back(task);
    return tasks;
}

std::vector<Task> InMemoryRegistry::faulted_tasks() const {
    std::vector<Task> tasks;
    for (const auto& [sequence, task] : open_tasks_) {
        if (task.state == TaskState::Fault) tasks.push_back(task);
    }
    return tasks;
}

unsigned InMemoryRegistry::mark_task_sent(std::string_view task_id) {
    auto* task = open_task(task_id);
    if (task == nullptr) return 0;
    task_changed(task_id);
    return ++task->attempts;
}

void InMemoryRegistry::mark_task_transferring(std::string_view task_id) {
    auto* task = open_task(task_id);
    if (task == nullptr || task->state != TaskState::Pending) return;
    task_changed(task_id);
    task->state = TaskState::Transferring;
}

void InMemoryRegistry::complete_task(std::string_view task_id) {
    auto found = sequence_by_id_.find(std::string{task_id});
    if (found == sequence_by_id_.end()) return;
    const auto sequence = found->second;
    Task task = open_tasks_.at(sequence);
    erase_open_task(sequence);
    task.state = TaskState::Done;
    task.fault.reset();
    task_changed(task.id);
    remember_done(sequence, std::move(task));
}

void InMemoryRegistry::remember_done(std::uint64_t sequence, Task task) {
    done_sequence_by_id_[task.id] = sequence;
    done_tasks_.insert_or_assign(sequence, std::move(task));
    while (done_tasks_.size() > kDoneTasksKept) {
        auto oldest = done_tasks_.begin();
        task_changed(oldest->second.id);
        done_sequence_by_id_.erase(oldest->second.id);
        done_tasks_.erase(oldest);
    }
}

void InMemoryRegistry::fail_task(std::string_view task_id, TaskFault fault) {
    if (auto* task = open_task(task_id)) {
        task_changed(task_id);
        task->state = TaskState::Fault;
        task->fault = std::move(fault);
    }
}

bool InMemoryRegistry::delete_task(std::string_view task_id) {
    auto found = sequence_by_id_.find(std::string{task_id});
    if (found == sequence_by_id_.end()) return false;
    task_changed(task_id);
    erase_open_task(found->second);
    return true;
}

bool InMemoryRegistry::retry_task(std::string_view task_id) {
    auto* task = open_task(task_id);
    if (task == nullptr || task->state != TaskState::Fault) return false;
    task_changed(task_id);
    task->state = TaskState::Pending;
    task->fault.reset();
    task->attempts = 0;
    ++task->retries;
    return true;
}

// ---- presets -----------------------------------------------------------------

void InMemoryRegistry::put_preset(Preset preset) {
    if (observer_ != nullptr) observer_->preset_changed(preset.name);
    auto name = preset.name;
    presets_.insert_or_assign(std::move(name), std::move(preset));
}

bool InMemoryRegistry::delete_preset(std::string_view name) {
    auto found = presets_.find(name);
    if (found == presets_.end()) return false;
    if (observer_ != nullptr) observer_->preset_changed(name);
    presets_.erase(found);
    return true;
}

std::vector<Preset> InMemoryRegistry::presets() const {
    std::vector<Preset> all;
    all.reserve(presets_.size());
    for (const auto& [name, preset] : presets_) all.push_back(preset);
    return all;
}

bool InMemoryRegistry::has_preset(std::string_view name) const {
    return presets_.find(name) != presets_.end();
}

}  // namespace acssim
