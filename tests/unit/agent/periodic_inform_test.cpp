#include "session/periodic_inform.hpp"

#include <gtest/gtest.h>

namespace agent {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

system_clock::time_point at(std::int64_t epoch_seconds) {
    return system_clock::time_point(seconds(epoch_seconds));
}

TEST(PeriodicInform, DisabledOrZeroIntervalMeansNoInform) {
    EXPECT_FALSE(next_periodic_inform(false, 60, "", at(1000)));
    EXPECT_FALSE(next_periodic_inform(true, 0, "", at(1000)));
}

TEST(PeriodicInform, UnknownOrInvalidTimeCountsFromNow) {
    EXPECT_EQ(next_periodic_inform(true, 60, "0001-01-01T00:00:00Z", at(1000)), at(1060));
    EXPECT_EQ(next_periodic_inform(true, 60, "", at(1000)), at(1060));
}

TEST(PeriodicInform, HonoursTheReferencesZone) {
    // 01:01:40+01:00 is 100 s after the epoch.
    EXPECT_EQ(next_periodic_inform(true, 60, "1970-01-01T01:01:40+01:00", at(1070)), at(1120));
}

TEST(PeriodicInform, AlignsToAReferenceInThePast) {
    // Reference at 100 s, interval 60: informs at 100, 160, ..., 1060, 1120.
    EXPECT_EQ(next_periodic_inform(true, 60, "1970-01-01T00:01:40Z", at(1070)), at(1120));
    // Exactly on a boundary: the next one, not now.
    EXPECT_EQ(next_periodic_inform(true, 60, "1970-01-01T00:01:40Z", at(1060)), at(1120));
}

TEST(PeriodicInform, AlignsToAReferenceInTheFuture) {
    // Reference at 1000 s, interval 300, now 10: 100, 400, 700, 1000 - next is 100.
    EXPECT_EQ(next_periodic_inform(true, 300, "1970-01-01T00:16:40Z", at(10)), at(100));
}

}  // namespace
}  // namespace agent
