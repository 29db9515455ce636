// Makes the in-memory registry durable: loads the SQLite file into it at
// startup, then journals its changes and hands them, as one batch per
// flush(), to the writer thread. The I/O thread only copies changed entries;
// the disk is the writer's business.
//
// What is durable when: a change reaches the file in the first flush after
// it (acs-sim flushes every 200 ms, see AcsServer) once the previous batch
// is written, and everything at close() (a clean exit on SIGINT/SIGTERM).
// A crash loses at most the changes not yet written; the file always holds
// whole batches.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "phonecwmp/expected.hpp"
#include "registry/in_memory_registry.hpp"
#include "registry/registry_journal.hpp"
#include "registry/registry_writer.hpp"

namespace acssim {

class RegistryPersistence {
public:
    // Opens (or creates) `file`, loads it into `registry` (which must be
    // empty and must outlive this object) and starts journaling its changes.
    // The error names the file and what is wrong with it.
    static phonecwmp::Expected<std::unique_ptr<RegistryPersistence>, std::string> open(
        const std::string& file, InMemoryRegistry& registry);

    RegistryPersistence(InMemoryRegistry& registry, std::unique_ptr<SqliteRegistryStore> store);
    // close()s if that was not done.
    ~RegistryPersistence();
    RegistryPersistence(const RegistryPersistence&) = delete;
    RegistryPersistence& operator=(const RegistryPersistence&) = delete;

    // From the I/O thread: hands the changes so far to the writer, unless it
    // is still writing the previous batch (they wait for the next flush).
    // Returns the number of changes handed over.
    std::size_t flush();

    // From the I/O thread, at shutdown: writes every change and stops the
    // writer. True when everything reached the file. Later changes to the
    // registry are no longer journaled.
    bool close();

    // Changes not yet handed to the writer.
    std::size_t pending_changes() const { return journal_.pending(); }

private:
    InMemoryRegistry& registry_;
    RegistryJournal journal_;
    RegistryWriter writer_;
    bool closed_ = false;
};

}  // namespace acssim
