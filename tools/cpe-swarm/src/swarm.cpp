#include "swarm.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace swarm {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// After a failed session, so that an ACS that refuses is not hammered.
constexpr auto kBackoffAfterFailure = std::chrono::milliseconds(100);
// Distinct failure messages kept; the rest are counted under "other".
constexpr std::size_t kMaxFailureKinds = 20;

// Everything one I/O thread owns; only that thread touches it while running.
struct IoThread {
    asio::io_context io{1};
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    std::uint64_t sessions = 0;
    std::uint64_t failures = 0;
    std::vector<float> latencies_ms;
    std::map<std::string, std::uint64_t> failure_kinds;
    Clock::time_point last_end{};

    void record_failure(const std::string& message) {
        ++failures;
        if (failure_kinds.size() < kMaxFailureKinds || failure_kinds.contains(message)) {
            ++failure_kinds[message];
        } else {
            ++failure_kinds["other"];
        }
    }
};

asio::awaitable<void> worker(IoThread& thread, std::vector<VirtualDevice>& devices,
                             const SwarmOptions& options, Clock::time_point deadline) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (unsigned round = 0; options.rounds == 0 || round < options.rounds; ++round) {
        for (auto& device : devices) {
            if (Clock::now() >= deadline) co_return;
            const auto start = Clock::now();
            const std::string failure = co_await run_session(device, *thread.codec, options.acs);
            const auto end = Clock::now();
            thread.last_end = std::max(thread.last_end, end);
            if (failure.empty()) {
                ++thread.sessions;
                thread.latencies_ms.push_back(
                    std::chrono::duration<float, std::milli>(end - start).count());
            } else {
                thread.record_failure(failure);
                timer.expires_after(kBackoffAfterFailure);
                co_await timer.async_wait(asio::use_awaitable);
            }
            if (options.pause.count() > 0) {
                timer.expires_after(options.pause);
                co_await timer.async_wait(asio::use_awaitable);
            }
        }
    }
}

double percentile(const std::vector<float>& sorted, double fraction) {
    if (sorted.empty()) return 0;
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
    return sorted[index];
}

}  // namespace

SwarmReport run_swarm(const SwarmOptions& options) {
    const unsigned thread_count = std::max(1u, options.threads);
    const unsigned workers =
        std::min(options.devices, options.concurrency == 0 ? options.devices : options.concurrency);
    std::vector<std::unique_ptr<IoThread>> threads;
    for (unsigned i = 0; i < thread_count; ++i) threads.push_back(std::make_unique<IoThread>());

    // Worker w has devices w, w + workers, w + 2 * workers, ...
    std::vector<std::vector<VirtualDevice>> shares(workers);
    for (unsigned index = 0; index < options.devices; ++index) {
        shares[index % workers].emplace_back(options.identity, index);
    }

    const auto start = Clock::now();
    const auto deadline = start + options.duration;
    for (unsigned w = 0; w < workers; ++w) {
        auto& thread = *threads[w % thread_count];
        asio::co_spawn(thread.io, worker(thread, shares[w], options, deadline), asio::detached);
    }
    std::vector<std::thread> running;
    for (auto& thread : threads) running.emplace_back([&io = thread->io] { io.run(); });
    for (auto& thread : running) thread.join();

    SwarmReport report;
    std::vector<float> latencies;
    Clock::time_point last_end = start;
    for (const auto& thread : threads) {
        report.sessions += thread->sessions;
        report.failures += thread->failures;
        latencies.insert(latencies.end(), thread->latencies_ms.begin(), thread->latencies_ms.end());
        for (const auto& [message, count] : thread->failure_kinds) {
            report.failure_kinds[message] += count;
        }
        last_end = std::max(last_end, thread->last_end);
    }
    report.seconds = std::chrono::duration<double>(last_end - start).count();
    std::sort(latencies.begin(), latencies.end());
    report.p50_ms = percentile(latencies, 0.50);
    report.p90_ms = percentile(latencies, 0.90);
    report.p99_ms = percentile(latencies, 0.99);
    report.max_ms = latencies.empty() ? 0 : latencies.back();
    return report;
}

}  // namespace swarm
