#include "transfer/transfer_record.hpp"

#include <nlohmann/json.hpp>

namespace agent::transfer {

namespace {

using nlohmann::json;

json record_to_json(const TransferRecord& r) {
    return json{{"id", r.id},
                {"direction", r.direction == Direction::Download ? "download" : "upload"},
                {"command_key", r.command_key},
                {"file_type", r.file_type},
                {"url", r.url},
                {"username", r.username},
                {"password", r.password},
                {"file_size", r.file_size},
                {"target_file_name", r.target_file_name},
                {"not_before", r.not_before},
                {"state", static_cast<int>(r.state)},
                {"fault_code", r.fault.fault_code},
                {"fault_string", r.fault.fault_string},
                {"start_time", r.start_time},
                {"complete_time", r.complete_time}};
}

TransferRecord record_from_json(const json& j) {
    TransferRecord r;
    r.id = j.at("id").get<std::uint64_t>();
    const std::string direction = j.at("direction").get<std::string>();
    if (direction != "download" && direction != "upload") {
        throw std::invalid_argument("unknown direction \"" + direction + "\"");
    }
    r.direction = direction == "download" ? Direction::Download : Direction::Upload;
    r.command_key = j.at("command_key").get<std::string>();
    r.file_type = j.at("file_type").get<std::string>();
    r.url = j.at("url").get<std::string>();
    r.username = j.at("username").get<std::string>();
    r.password = j.at("password").get<std::string>();
    r.file_size = j.at("file_size").get<std::uint32_t>();
    r.target_file_name = j.at("target_file_name").get<std::string>();
    r.not_before = j.at("not_before").get<std::int64_t>();
    const int state = j.at("state").get<int>();
    if (state < 1 || state > 3) {
        throw std::invalid_argument("unknown state " + std::to_string(state));
    }
    r.state = static_cast<TransferState>(state);
    r.fault.fault_code = j.at("fault_code").get<std::uint32_t>();
    r.fault.fault_string = j.at("fault_string").get<std::string>();
    r.start_time = j.at("start_time").get<std::string>();
    r.complete_time = j.at("complete_time").get<std::string>();
    return r;
}

}  // namespace

std::string to_json(const TransferList& list) {
    json transfers = json::array();
    for (const auto& record : list.transfers) transfers.push_back(record_to_json(record));
    return json{{"next_id", list.next_id}, {"transfers", std::move(transfers)}}.dump();
}

phonecwmp::Expected<TransferList, std::string> transfer_list_from_json(std::string_view text) {
    try {
        const json j = json::parse(text);
        TransferList list;
        list.next_id = j.at("next_id").get<std::uint64_t>();
        for (const auto& item : j.at("transfers")) {
            list.transfers.push_back(record_from_json(item));
            if (list.transfers.back().id >= list.next_id) {
                throw std::invalid_argument("transfer id not below next_id");
            }
        }
        return list;
    } catch (const std::exception& e) {
        return phonecwmp::Unexpected(std::string("malformed transfer list: ") + e.what());
    }
}

}  // namespace agent::transfer
