#include "registry/registry_persistence.hpp"

#include <spdlog/spdlog.h>

namespace acssim {

phonecwmp::Expected<std::unique_ptr<RegistryPersistence>, std::string> RegistryPersistence::open(
    const std::string& file, InMemoryRegistry& registry) {
    auto store = SqliteRegistryStore::open(file);
    if (!store) return phonecwmp::Unexpected(store.error());
    auto loaded = (*store)->load_into(registry);
    if (!loaded) return phonecwmp::Unexpected(loaded.error());
    spdlog::info("database {}: {} devices, {} cached parameters, {} tasks, {} presets", file,
                 loaded->devices, loaded->parameters, loaded->tasks, loaded->presets);
    return std::make_unique<RegistryPersistence>(registry, std::move(*store));
}

RegistryPersistence::RegistryPersistence(InMemoryRegistry& registry,
                                         std::unique_ptr<SqliteRegistryStore> store)
    : registry_(registry), writer_(std::move(store)) {
    registry_.set_observer(&journal_);
}

RegistryPersistence::~RegistryPersistence() {
    close();
}

std::size_t RegistryPersistence::flush() {
    if (closed_ || journal_.pending() == 0 || !writer_.idle()) return 0;
    auto batch = journal_.take_batch(registry_);
    const auto size = batch.size();
    writer_.submit(std::move(batch));
    return size;
}

bool RegistryPersistence::close() {
    if (closed_) return true;
    closed_ = true;
    registry_.set_observer(nullptr);
    const bool complete = writer_.finish(journal_.take_batch(registry_));
    if (!complete) spdlog::error("registry: some changes could not be written to the database");
    return complete;
}

}  // namespace acssim
