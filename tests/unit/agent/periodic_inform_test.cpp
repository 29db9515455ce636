#include "session/periodic_inform.hpp"

#include <gtest/gtest.h>

namespace agent {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

system_clock::time_point at(std::int64_t epoch_seconds) {
    return system_clock::time_point(seconds(epoch_seconds));
}

TEST(DateTime, ParsesUtcOffsetsAndFractions) {
    EXPECT_EQ(parse_date_time("1970-01-01T00:00:10Z"), at(10));
    EXPECT_EQ(parse_date_time("1970-01-01T01:00:10+01:00"), at(10));
    EXPECT_EQ(parse_date_time("1970-01-01T00:00:10.250Z"), at(10));
    EXPECT_EQ(parse_date_time("1970-01-01T00:00:10"), at(10));
    EXPECT_EQ(parse_date_time("2026-11-26T21:48:54.270Z"), at(1795729734));
}

TEST(DateTime, RejectsGarbageAndTheUnknownTime) {
    EXPECT_FALSE(parse_date_time("0001-01-01T00:00:00Z"));
    EXPECT_FALSE(parse_date_time(""));
    EXPECT_FALSE(parse_date_time("2026-11-26"));
    EXPECT_FALSE(parse_date_time("2026-11-26T21:48:54Q"));
    EXPECT_FALSE(parse_date_time("2026-11-26T21:48:54+0100"));
    EXPECT_FALSE(parse_date_time("20x6-11-26T21:48:54Z"));
}

TEST(PeriodicInform, DisabledOrZeroIntervalMeansNoInform) {
    EXPECT_FALSE(next_periodic_inform(false, 60, "", at(1000)));
    EXPECT_FALSE(next_periodic_inform(true, 0, "", at(1000)));
}

TEST(PeriodicInform, UnknownTimeCountsFromNow) {
    EXPECT_EQ(next_periodic_inform(true, 60, "0001-01-01T00:00:00Z", at(1000)), at(1060));
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
