// The thread that writes registry batches to SQLite, so the I/O thread
// never waits for the disk. One batch at a time: while it writes, the
// journal keeps collecting (and coalescing) changes, which bounds memory
// by the registry's own size whatever the disk's speed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "registry/registry_batch.hpp"
#include "registry/sqlite_registry_store.hpp"

namespace acssim {

class RegistryWriter {
public:
    // A batch that fails to write is retried after this long, in order, so
    // a full disk delays writes instead of dropping them.
    static constexpr std::chrono::milliseconds kRetryDelay{1000};

    explicit RegistryWriter(std::unique_ptr<SqliteRegistryStore> store);
    // finish()es if that was not done.
    ~RegistryWriter();
    RegistryWriter(const RegistryWriter&) = delete;
    RegistryWriter& operator=(const RegistryWriter&) = delete;

    // True when no batch is waiting or being written: submit() may be called.
    bool idle() const;
    // Hands a batch to the thread; call only when idle().
    void submit(RegistryBatch batch);

    // Writes what was submitted, then `last` (each gets one more attempt if
    // writing keeps failing, so this ends), then ends the thread. True when
    // everything was written.
    bool finish(RegistryBatch last = {});

    // Batches written and failed attempts so far.
    std::size_t batches_written() const;
    std::size_t write_failures() const;

private:
    void run();

    std::unique_ptr<SqliteRegistryStore> store_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<RegistryBatch> batch_;  // waiting or being written
    std::optional<RegistryBatch> last_;   // from finish(), after batch_
    bool stopping_ = false;
    bool lost_ = false;
    std::size_t written_ = 0;
    std::size_t failures_ = 0;
    std::thread thread_;
};

}  // namespace acssim
