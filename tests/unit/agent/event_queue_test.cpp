#include "session/event_queue.hpp"

#include <gtest/gtest.h>

#include "cwmp/event_codes.hpp"

namespace agent {
namespace {

TEST(EventQueue, SingleEventsAreQueuedOnce) {
    EventQueue queue;
    queue.add(cwmp::event::kPeriodic);
    queue.add(cwmp::event::kPeriodic);
    ASSERT_EQ(queue.events().size(), 1u);
}

TEST(EventQueue, MultipleEventsAreQueuedPerCommandKey) {
    EventQueue queue;
    queue.add(cwmp::event::kMReboot, "a");
    queue.add(cwmp::event::kMReboot, "b");
    queue.add(cwmp::event::kMReboot, "a");
    ASSERT_EQ(queue.events().size(), 2u);
}

TEST(EventQueue, BootstrapAndBootComeFirst) {
    EventQueue queue;
    queue.add(cwmp::event::kPeriodic);
    queue.add(cwmp::event::kBoot);
    queue.add(cwmp::event::kBootstrap);
    const auto events = queue.for_inform();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].event_code, cwmp::event::kBoot);
    EXPECT_EQ(events[1].event_code, cwmp::event::kBootstrap);
    EXPECT_EQ(events[2].event_code, cwmp::event::kPeriodic);
}

TEST(EventQueue, DeliveredEventsAreForgottenOthersKept) {
    EventQueue queue;
    queue.add(cwmp::event::kBoot);
    const auto sent = queue.for_inform();
    queue.add(cwmp::event::kPeriodic);  // raised while the session ran
    queue.delivered(sent);
    ASSERT_EQ(queue.events().size(), 1u);
    EXPECT_EQ(queue.events()[0].event_code, cwmp::event::kPeriodic);
}

TEST(EventQueue, ConnectionRequestIsNeverRetried) {
    EventQueue queue;
    queue.add(cwmp::event::kBootstrap);
    queue.add(cwmp::event::kConnectionRequest);
    queue.session_failed();
    EXPECT_TRUE(queue.contains(cwmp::event::kBootstrap));
    EXPECT_FALSE(queue.contains(cwmp::event::kConnectionRequest));
}

TEST(EventQueue, AnInformCarriesAtMost64Events) {
    EventQueue queue;
    for (int i = 0; i < 100; ++i) {
        queue.add(cwmp::event::kMDownload, std::to_string(i));
    }
    EXPECT_EQ(queue.for_inform().size(), 64u);
}

}  // namespace
}  // namespace agent
