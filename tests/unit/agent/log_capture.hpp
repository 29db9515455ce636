// Captures what the code under test logs through spdlog's default logger,
// for tests that check a message is (or is not) logged.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace agent::testing {

class LogCapture {
public:
    LogCapture()
        : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1024)),
          previous_(spdlog::default_logger()) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink_));
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    bool contains(std::string_view text) const {
        for (const auto& line : sink_->last_formatted()) {
            if (line.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
    std::string text() const {
        std::string all;
        for (const auto& line : sink_->last_formatted()) {
            all += line;
        }
        return all;
    }

    // Lines (of the last 1,024) that contain `text`.
    std::size_t count(std::string_view text) const {
        std::size_t lines = 0;
        for (const auto& line : sink_->last_formatted()) {
            if (line.find(text) != std::string::npos) ++lines;
        }
        return lines;
    }

private:
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace agent::testing
