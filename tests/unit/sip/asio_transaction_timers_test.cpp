#include "sip/asio_transaction_timers.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <vector>

namespace agent::sip {
namespace {

using namespace std::chrono_literals;

TEST(AsioTransactionTimers, FiresInOrderAndHonoursCancel) {
    boost::asio::io_context io;
    AsioTransactionTimers timers(io);
    std::vector<int> fired;
    timers.start(2ms, [&] { fired.push_back(2); });
    const auto cancelled = timers.start(1ms, [&] { fired.push_back(-1); });
    timers.start(0ms, [&] { fired.push_back(0); });
    EXPECT_TRUE(fired.empty());  // never from inside start()
    timers.cancel(cancelled);
    timers.cancel(cancelled);  // twice is harmless
    timers.cancel(12345);      // unknown ids are ignored
    EXPECT_EQ(timers.running_timers(), 2u);
    io.run_for(5s);  // returns as soon as no work is left
    EXPECT_EQ(fired, (std::vector<int>{0, 2}));
    EXPECT_EQ(timers.running_timers(), 0u);
}

TEST(AsioTransactionTimers, CallbacksMayStartAndCancelTimers) {
    boost::asio::io_context io;
    AsioTransactionTimers timers(io);
    int chain = 0;
    std::function<void()> step = [&] {
        if (++chain < 5) timers.start(0ms, step);
    };
    timers.start(0ms, step);
    io.run_for(5s);
    EXPECT_EQ(chain, 5);
}

TEST(AsioTransactionTimers, DestructionSilencesPendingTimers) {
    boost::asio::io_context io;
    int fired = 0;
    {
        AsioTransactionTimers timers(io);
        timers.start(0ms, [&] { ++fired; });
    }
    io.run_for(5s);
    EXPECT_EQ(fired, 0);
}

}  // namespace
}  // namespace agent::sip
