#include "session/periodic_inform.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <ctime>

namespace agent {

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) {
        return false;
    }
    const char* first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc() && end == first + len;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_date_time(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || !read_int(text, 0, 4, year) ||
        !read_int(text, 5, 2, month) || !read_int(text, 8, 2, day) ||
        !read_int(text, 11, 2, hour) || !read_int(text, 14, 2, minute) ||
        !read_int(text, 17, 2, second)) {
        return std::nullopt;
    }
    if (year <= 1) {
        return std::nullopt;  // the unknown time (TR-106 §3.2)
    }
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
    }
    long offset_seconds = 0;
    if (pos < text.size()) {
        if (text[pos] == 'Z' && pos + 1 == text.size()) {
            // UTC
        } else if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 &&
                   text[pos + 3] == ':') {
            int oh = 0, om = 0;
            if (!read_int(text, pos + 1, 2, oh) || !read_int(text, pos + 4, 2, om)) {
                return std::nullopt;
            }
            offset_seconds = (oh * 3600L + om * 60L) * (text[pos] == '-' ? -1 : 1);
        } else {
            return std::nullopt;
        }
    }
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    const std::time_t utc = timegm(&tm);
    return std::chrono::system_clock::from_time_t(utc - offset_seconds);
}

std::optional<std::chrono::system_clock::time_point> next_periodic_inform(
    bool enabled, std::uint32_t interval_seconds, std::string_view phase_reference,
    std::chrono::system_clock::time_point now) {
    if (!enabled || interval_seconds == 0) {
        return std::nullopt;
    }
    const std::chrono::seconds interval(interval_seconds);
    const auto reference = parse_date_time(phase_reference);
    if (!reference) {
        return now + interval;
    }
    // The first reference + n·interval strictly after now (n may be negative).
    auto since = std::chrono::duration_cast<std::chrono::seconds>(now - *reference);
    auto into_period = since % interval;
    if (into_period.count() < 0) {
        into_period += interval;
    }
    return now + (interval - into_period);
}

PeriodicInformScheduler::PeriodicInformScheduler(boost::asio::io_context& io,
                                                 std::function<void()> due)
    : timer_(io), due_(std::move(due)) {}

void PeriodicInformScheduler::configure(bool enabled, std::uint32_t interval_seconds,
                                        std::string_view phase_reference) {
    enabled_ = enabled;
    interval_seconds_ = interval_seconds;
    phase_reference_ = std::string(phase_reference);
    arm();
}

void PeriodicInformScheduler::arm() {
    timer_.cancel();
    const auto now = std::chrono::system_clock::now();
    const auto next = next_periodic_inform(enabled_, interval_seconds_, phase_reference_, now);
    if (!next) {
        spdlog::info("periodic inform: disabled");
        return;
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now);
    spdlog::debug("periodic inform: next in {} ms", wait.count());
    timer_.expires_after(wait);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        due_();
        arm();
    });
}

}  // namespace agent
