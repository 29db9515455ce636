#include "phonecwmp/log_throttle.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace {

using phonecwmp::LogThrottle;
using namespace std::chrono_literals;

TEST(LogThrottle, AdmitsTheFirstOccurrenceWithNothingSuppressed) {
    LogThrottle throttle(10s);
    EXPECT_EQ(throttle.admit(LogThrottle::Clock::time_point{}), 0u);
    EXPECT_EQ(throttle.occurrences(), 1u);
}

TEST(LogThrottle, SuppressesWithinTheIntervalAndCountsThemInTheNextAdmitted) {
    LogThrottle throttle(10s);
    const auto start = LogThrottle::Clock::now();
    ASSERT_EQ(throttle.admit(start), 0u);
    EXPECT_EQ(throttle.admit(start + 1s), std::nullopt);
    EXPECT_EQ(throttle.admit(start + 5s), std::nullopt);
    EXPECT_EQ(throttle.admit(start + 9999ms), std::nullopt);
    EXPECT_EQ(throttle.admit(start + 10s), 3u);
    EXPECT_EQ(throttle.occurrences(), 5u);
}

TEST(LogThrottle, TheIntervalRunsFromTheLastAdmittedOccurrence) {
    LogThrottle throttle(10s);
    const auto start = LogThrottle::Clock::now();
    ASSERT_EQ(throttle.admit(start), 0u);
    ASSERT_EQ(throttle.admit(start + 15s), 0u);
    // 10 s after the first but only 5 s after the last admitted one.
    EXPECT_EQ(throttle.admit(start + 20s), std::nullopt);
    EXPECT_EQ(throttle.admit(start + 25s), 1u);
}

TEST(LogThrottle, AQuietPeriodAdmitsTheNextOccurrenceWithNothingSuppressed) {
    LogThrottle throttle(10s);
    const auto start = LogThrottle::Clock::now();
    ASSERT_EQ(throttle.admit(start), 0u);
    EXPECT_EQ(throttle.admit(start + 1h), 0u);
    EXPECT_EQ(throttle.occurrences(), 2u);
}

TEST(LogThrottle, AFloodIsLoggedOncePerIntervalWithEveryOccurrenceAccountedFor) {
    LogThrottle throttle(10s);
    const auto start = LogThrottle::Clock::now();
    std::uint64_t admitted = 0;
    std::uint64_t accounted = 0;
    // 100,000 occurrences over 100 s, one per millisecond.
    for (int i = 0; i < 100'000; ++i) {
        if (const auto suppressed = throttle.admit(start + std::chrono::milliseconds(i))) {
            ++admitted;
            accounted += *suppressed + 1;
        }
    }
    EXPECT_EQ(admitted, 10u);
    // The ones after the last admitted occurrence are still waiting for a line.
    EXPECT_EQ(accounted, 90'001u);
    EXPECT_EQ(throttle.occurrences(), 100'000u);
}

}  // namespace
