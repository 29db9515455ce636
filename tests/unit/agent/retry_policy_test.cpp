#include "session/retry_policy.hpp"

#include <gtest/gtest.h>

namespace agent {
namespace {

TEST(RetryPolicy, DefaultWindowsFollowTheStandardTable) {
    // TR-069 §3.2.1.1 with m = 5 s, k = 2000.
    const double expected[][2] = {{5, 10},      {10, 20},     {20, 40},     {40, 80},
                                  {80, 160},    {160, 320},   {320, 640},   {640, 1280},
                                  {1280, 2560}, {2560, 5120}, {2560, 5120}, {2560, 5120}};
    for (std::uint32_t n = 1; n <= 12; ++n) {
        const RetryWindow window = retry_window(n, 5, 2000);
        EXPECT_DOUBLE_EQ(window.min_seconds, expected[n - 1][0]) << "retry " << n;
        EXPECT_DOUBLE_EQ(window.max_seconds, expected[n - 1][1]) << "retry " << n;
    }
}

TEST(RetryPolicy, UsesConfiguredMinimumAndMultiplier) {
    const RetryWindow first = retry_window(1, 30, 1500);
    EXPECT_DOUBLE_EQ(first.min_seconds, 30);
    EXPECT_DOUBLE_EQ(first.max_seconds, 45);
    const RetryWindow third = retry_window(3, 30, 1500);
    EXPECT_DOUBLE_EQ(third.min_seconds, 67.5);
    EXPECT_DOUBLE_EQ(third.max_seconds, 101.25);
}

TEST(RetryPolicy, WaitIsRandomWithinTheWindow) {
    std::mt19937_64 random(42);
    std::chrono::milliseconds lowest{std::chrono::hours(1)}, highest{0};
    for (int i = 0; i < 1000; ++i) {
        const auto wait = retry_wait(2, 5, 2000, random);
        ASSERT_GE(wait.count(), 10000);
        ASSERT_LE(wait.count(), 20000);
        lowest = std::min(lowest, wait);
        highest = std::max(highest, wait);
    }
    // Randomised, not a constant: the samples spread over the window.
    EXPECT_LT(lowest.count(), 12000);
    EXPECT_GT(highest.count(), 18000);
}

}  // namespace
}  // namespace agent
