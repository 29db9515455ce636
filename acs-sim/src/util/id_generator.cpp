#include "util/id_generator.hpp"

#include <fmt/format.h>

namespace acssim {

namespace {

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

IdGenerator::IdGenerator() : IdGenerator(random_seed()) {}

IdGenerator::IdGenerator(std::uint64_t seed)
    : rng_(seed), counter_(static_cast<std::uint32_t>(rng_() & 0xffffffU)) {}

std::string IdGenerator::task_id(TimePoint now) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    counter_ = (counter_ + 1) & 0xffffffU;
    return fmt::format("{:08x}{:010x}{:06x}", static_cast<std::uint32_t>(seconds),
                       rng_() & 0xffffffffffULL, counter_);
}

std::string IdGenerator::session_token() {
    return fmt::format("{:016x}{:016x}", rng_(), rng_());
}

}  // namespace acssim
