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

void apply_values(DeviceRecord& record, const std::vector<cwmp::ParameterValue>& values,
                  TimePoint now) {
    for (const auto& value : values) {
        if (value.name.empty() || is_object_path(value.name)) continue;
        auto& entry = record.parameters[value.name];
        entry.object = false;
        entry.value = value.value;
        if (!value.type.empty()) entry.type = value.type;
        entry.timestamp = now;
    }
}

bool has_event(const cwmp::Inform& inform, std::string_view code) {
    return std::any_of(inform.event.begin(), inform.event.end(),
                       [&](const cwmp::EventStruct& event) { return event.event_code == code; });
}

}  // namespace

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
    apply_values(record, inform.parameter_list, now);
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
    if (auto* record = device(device_id)) apply_values(*record, values, now);
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
    }
}

void InMemoryRegistry::remove_subtree(std::string_view device_id, std::string_view object_name) {
    auto* record = device(device_id);
    if (record == nullptr || object_name.empty()) return;
    auto [first, last] = subtree(record->parameters, object_name);
    record->parameters.erase(first, last);
}

// ---- tasks -------------------------------------------------------------------

void InMemoryRegistry::add_task(Task task) {
    const auto sequence = next_sequence_++;
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
    auto found = sequence_by_id_.find(std::string{task_id});
    if (found != sequence_by_id_.end()) return open_tasks_.at(found->second);
    auto done = std::find_if(done_tasks_.rbegin(), done_tasks_.rend(),
                             [&](const Task& task) { return task.id == task_id; });
    if (done != done_tasks_.rend()) return *done;
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
    return ++task->attempts;
}

void InMemoryRegistry::complete_task(std::string_view task_id) {
    auto found = sequence_by_id_.find(std::string{task_id});
    if (found == sequence_by_id_.end()) return;
    Task task = open_tasks_.at(found->second);
    erase_open_task(found->second);
    task.state = TaskState::Done;
    task.fault.reset();
    done_tasks_.push_back(std::move(task));
    while (done_tasks_.size() > kDoneTasksKept) done_tasks_.pop_front();
}

void InMemoryRegistry::fail_task(std::string_view task_id, TaskFault fault) {
    if (auto* task = open_task(task_id)) {
        task->state = TaskState::Fault;
        task->fault = std::move(fault);
    }
}

bool InMemoryRegistry::delete_task(std::string_view task_id) {
    auto found = sequence_by_id_.find(std::string{task_id});
    if (found == sequence_by_id_.end()) return false;
    erase_open_task(found->second);
    return true;
}

bool InMemoryRegistry::retry_task(std::string_view task_id) {
    auto* task = open_task(task_id);
    if (task == nullptr || task->state != TaskState::Fault) return false;
    task->state = TaskState::Pending;
    task->fault.reset();
    task->attempts = 0;
    ++task->retries;
    return true;
}

}  // namespace acssim
