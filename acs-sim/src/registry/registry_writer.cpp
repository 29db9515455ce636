#include "registry/registry_writer.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace acssim {

RegistryWriter::RegistryWriter(std::unique_ptr<SqliteRegistryStore> store)
    : store_(std::move(store)), thread_([this] { run(); }) {}

RegistryWriter::~RegistryWriter() {
    finish();
}

bool RegistryWriter::idle() const {
    std::lock_guard lock(mutex_);
    return !batch_.has_value();
}

void RegistryWriter::submit(RegistryBatch batch) {
    {
        std::lock_guard lock(mutex_);
        if (batch_ || stopping_) {
            spdlog::error("registry writer: batch of {} changes submitted while {}; dropped",
                          batch.size(), stopping_ ? "stopping" : "busy");
            lost_ = true;
            return;
        }
        batch_ = std::move(batch);
    }
    wake_.notify_one();
}

void RegistryWriter::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return batch_.has_value() || stopping_; });
        if (!batch_) break;  // stopping with nothing left
        const bool last_chance = stopping_;
        lock.unlock();
        auto written = store_->write(*batch_);
        lock.lock();
        if (written) {
            ++written_;
            batch_ = std::exchange(last_, std::nullopt);
            continue;
        }
        ++failures_;
        spdlog::error("registry writer: {} changes not written: {}", batch_->size(),
                      written.error());
        if (last_chance) {
            lost_ = true;
            batch_ = std::exchange(last_, std::nullopt);
            continue;
        }
        // Retry after a pause; stopping cuts the pause short for one last try.
        wake_.wait_for(lock, kRetryDelay, [&] { return stopping_; });
    }
}

bool RegistryWriter::finish(RegistryBatch last) {
    {
        std::lock_guard lock(mutex_);
        if (!last.empty()) {
            if (batch_) {
                last_ = std::move(last);
            } else {
                batch_ = std::move(last);
            }
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    // Closing the database releases its lock for the next instance.
    store_.reset();
    std::lock_guard lock(mutex_);
    return !lost_;
}

std::size_t RegistryWriter::batches_written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

std::size_t RegistryWriter::write_failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
}

}  // namespace acssim
