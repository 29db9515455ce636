#include "sip/dialog_table.hpp"

namespace agent::sip {

Dialog* DialogTable::insert(Dialog dialog) {
    if (dialogs_.size() >= capacity_) {
        return nullptr;
    }
    auto id = dialog.id;
    auto [where, inserted] = dialogs_.emplace(std::move(id), std::move(dialog));
    return inserted ? &where->second : nullptr;
}

Dialog* DialogTable::find(const DialogId& id) {
    const auto found = dialogs_.find(id);
    return found == dialogs_.end() ? nullptr : &found->second;
}

Dialog* DialogTable::find_by_invite(const ServerTransactionKey& key) {
    for (auto& [id, dialog] : dialogs_) {
        if (dialog.invite_key == key) {
            return &dialog;
        }
    }
    return nullptr;
}

bool DialogTable::erase(const DialogId& id) {
    return dialogs_.erase(id) > 0;
}

std::size_t DialogTable::erase_older_than(std::chrono::steady_clock::time_point cutoff) {
    std::size_t erased = 0;
    for (auto it = dialogs_.begin(); it != dialogs_.end();) {
        if (it->second.created < cutoff) {
            it = dialogs_.erase(it);
            ++erased;
        } else {
            ++it;
        }
    }
    return erased;
}

}  // namespace agent::sip
