// CWMP Inform event codes (TR-069 Amendment 6, §3.7.1.5).
#pragma once

#include <string_view>

namespace cwmp::event {

inline constexpr std::string_view kBootstrap = "0 BOOTSTRAP";
inline constexpr std::string_view kBoot = "1 BOOT";
inline constexpr std::string_view kPeriodic = "2 PERIODIC";
inline constexpr std::string_view kScheduled = "3 SCHEDULED";
inline constexpr std::string_view kValueChange = "4 VALUE CHANGE";
inline constexpr std::string_view kKicked = "5 KICKED";
inline constexpr std::string_view kConnectionRequest = "6 CONNECTION REQUEST";
inline constexpr std::string_view kTransferComplete = "7 TRANSFER COMPLETE";
inline constexpr std::string_view kDiagnosticsComplete = "8 DIAGNOSTICS COMPLETE";
inline constexpr std::string_view kRequestDownload = "9 REQUEST DOWNLOAD";
inline constexpr std::string_view kAutonomousTransferComplete = "10 AUTONOMOUS TRANSFER COMPLETE";
inline constexpr std::string_view kDuStateChangeComplete = "11 DU STATE CHANGE COMPLETE";
inline constexpr std::string_view kAutonomousDuStateChangeComplete =
    "12 AUTONOMOUS DU STATE CHANGE COMPLETE";
inline constexpr std::string_view kWakeup = "13 WAKEUP";
inline constexpr std::string_view kHeartbeat = "14 HEARTBEAT";

inline constexpr std::string_view kMReboot = "M Reboot";
inline constexpr std::string_view kMScheduleInform = "M ScheduleInform";
inline constexpr std::string_view kMDownload = "M Download";
inline constexpr std::string_view kMScheduleDownload = "M ScheduleDownload";
inline constexpr std::string_view kMUpload = "M Upload";

}  // namespace cwmp::event
