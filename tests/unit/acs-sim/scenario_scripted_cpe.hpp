// A CPE for the scenario and CLI tests: on its own thread it informs an
// acs-sim every `period` over real loopback HTTP and answers
// GetParameterValues, SetParameterValues and Reboot from a parameter map
// (a Reboot makes the next Inform carry "1 BOOT" and "M Reboot"). Bounded:
// it stops after `max_sessions` or when destroyed.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cwmp/codec.hpp"
#include "loopback_server.hpp"
#include "test_support.hpp"

namespace acssim::test {

class ScriptedCpe {
public:
    ScriptedCpe(tcp::endpoint acs, std::string serial,
                std::chrono::milliseconds period = std::chrono::milliseconds{100})
        : acs_(acs), serial_(std::move(serial)), period_(period) {
        values_ = {
            {"Device.DeviceInfo.SerialNumber", serial_},
            {"Device.DeviceInfo.SoftwareVersion", "1.0.0"},
            {"Device.DeviceInfo.ModelName", "Scripted Phone"},
            {"Device.ManagementServer.PeriodicInformInterval", "900"},
        };
    }
    ~ScriptedCpe() { stop(); }
    ScriptedCpe(const ScriptedCpe&) = delete;
    ScriptedCpe& operator=(const ScriptedCpe&) = delete;

    void start() {
        thread_ = std::thread([this] { run(); });
    }
    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::string value(const std::string& name) {
        std::lock_guard lock(mutex_);
        return values_[name];
    }
    int sessions() const { return sessions_; }

    static constexpr int kMaxSessions = 600;

private:
    void run() {
        auto codec = cwmp::make_codec();
        std::vector<std::string> events = {"0 BOOTSTRAP", "1 BOOT"};
        while (!stopping_ && sessions_ < kMaxSessions) {
            try {
                events = session(*codec, events);
                ++sessions_;
            } catch (const std::exception&) {
                // The server may be stopping; try again at the next period.
            }
            std::this_thread::sleep_for(period_);
        }
    }

    // One session; returns the events of the next Inform.
    std::vector<std::string> session(cwmp::Codec& codec, const std::vector<std::string>& events) {
        Client client(acs_);
        cwmp::Envelope inform;
        auto message = phone_inform(events, serial_);
        {
            std::lock_guard lock(mutex_);
            message.parameter_list.clear();
            for (const auto& [name, value] : values_) {
                message.parameter_list.push_back({name, value, "xsd:string"});
            }
        }
        inform.body = message;
        auto reply =
            client.request(bhttp::verb::post, "/", codec.encode(inform, cwmp::Namespace::Cwmp12));
        if (reply.result_int() != 200) throw std::runtime_error("Inform refused");
        std::vector<std::string> next = {"2 PERIODIC"};
        std::string body;
        for (int exchange = 0; exchange < 50; ++exchange) {
            reply = client.request(bhttp::verb::post, "/", body);
            if (reply.result_int() == 204) return next;
            auto decoded = codec.decode(reply.body());
            if (!decoded) throw std::runtime_error("undecodable request");
            cwmp::Envelope answer;
            answer.header.id = decoded->envelope.header.id;
            answer.body = respond(decoded->envelope.body, next);
            body = codec.encode(answer, decoded->ns);
        }
        throw std::runtime_error("session too long");
    }

    cwmp::Body respond(const cwmp::Body& request, std::vector<std::string>& next) {
        std::lock_guard lock(mutex_);
        if (const auto* get = std::get_if<cwmp::GetParameterValues>(&request)) {
            cwmp::GetParameterValuesResponse response;
            for (const auto& name : get->parameter_names) {
                auto found = values_.find(name);
                if (found == values_.end()) {
                    return cwmp::Fault{9005, "Invalid parameter name", {}};
                }
                response.parameter_list.push_back({name, found->second, "xsd:string"});
            }
            return response;
        }
        if (const auto* set = std::get_if<cwmp::SetParameterValues>(&request)) {
            for (const auto& value : set->parameter_list) {
                if (value.name == "Device.DeviceInfo.SerialNumber") {
                    cwmp::Fault fault{9003, "Invalid arguments", {}};
                    fault.set_parameter_values_faults.push_back(
                        {value.name, 9008, "Attempt to set a non-writable parameter"});
                    return fault;
                }
            }
            for (const auto& value : set->parameter_list) values_[value.name] = value.value;
            return cwmp::SetParameterValuesResponse{0};
        }
        if (std::holds_alternative<cwmp::Reboot>(request)) {
            next = {"1 BOOT", "M Reboot"};
            return cwmp::RebootResponse{};
        }
        return cwmp::Fault{9000, "Method not supported", {}};
    }

    tcp::endpoint acs_;
    std::string serial_;
    std::chrono::milliseconds period_;
    std::mutex mutex_;
    std::map<std::string, std::string> values_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> sessions_{0};
    std::thread thread_;
};

}  // namespace acssim::test
