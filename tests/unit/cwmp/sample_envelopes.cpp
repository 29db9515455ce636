// Envelopes with distinct, non-default values in every field.
#include "sample_envelopes.hpp"

namespace cwmp::test {

Header full_header() {
    Header header;
    header.id = "id-0001";
    header.hold_requests = true;
    header.session_timeout = 45;
    header.supported_cwmp_versions = "1.0,1.1,1.2,1.3,1.4";
    header.use_cwmp_version = "1.2";
    return header;
}

namespace {

Header id_header(std::string id) {
    Header header;
    header.id = std::move(id);
    return header;
}

std::vector<ParameterValue> some_values() {
    return {
        {"Device.ManagementServer.PeriodicInformInterval", "900", "xsd:unsignedInt"},
        {"Device.ManagementServer.URL", "http://acs.example.test:7547/cwmp?a=1&b=<2>",
         "xsd:string"},
        {"Device.DeviceInfo.ProvisioningCode", "", "xsd:string"},
        {"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"},
        {"Device.X_PHONECWMP_Untyped", "no type given", ""},
        {"Device.DeviceInfo.Description", "Téléphone ☎ 电话 \"quoted\" 'single'", "xsd:string"},
    };
}

}  // namespace

std::vector<Sample> sample_envelopes() {
    std::vector<Sample> samples;
    const auto add = [&](std::string name, Header header, Body body) {
        samples.push_back(Sample{std::move(name), Envelope{std::move(header), std::move(body)}});
    };

    // ACS -> CPE requests
    add("GetRPCMethods", id_header("1"), GetRPCMethods{});
    add("SetParameterValues", full_header(), SetParameterValues{some_values(), "key-42"});
    add("SetParameterValuesEmpty", id_header("2"), SetParameterValues{{}, ""});
    add("GetParameterValues", id_header("3"),
        GetParameterValues{{"Device.DeviceInfo.", "Device.ManagementServer.URL"}});
    add("GetParameterValuesEmpty", id_header("4"), GetParameterValues{{}});
    add("GetParameterNames", id_header("5"), GetParameterNames{"Device.Services.", true});
    add("GetParameterNamesFalse", id_header("6"), GetParameterNames{"", false});
    add("SetParameterAttributes", id_header("7"),
        SetParameterAttributes{{
            {"Device.ManagementServer.URL", true, 2, true, {"Subscriber"}},
            {"Device.DeviceInfo.", false, 1, false, {}},
            {"Device.IP.", true, 6, true, {"Subscriber", "X_Other"}},
        }});
    add("GetParameterAttributes", id_header("8"),
        GetParameterAttributes{{"Device.ManagementServer.", "Device.DeviceInfo.UpTime"}});
    add("AddObject", id_header("9"), AddObject{"Device.DNS.Client.Server.", "add-key"});
    add("DeleteObject", id_header("10"), DeleteObject{"Device.DNS.Client.Server.3.", "del-key"});
    add("Reboot", id_header("11"), Reboot{"reboot-ck"});
    add("FactoryReset", id_header("12"), FactoryReset{});
    add("Download", id_header("13"),
        Download{"dl-ck", "1 Firmware Upgrade Image", "https://files.example.test/fw.bin", "user",
                 "p&ss<word>", 123456, "fw.bin", 30, "https://ok.example.test/",
                 "https://ko.example.test/"});
    add("Upload", id_header("14"),
        Upload{"ul-ck", "2 Vendor Log File", "https://files.example.test/up", "u2", "p2", 7});
    add("ScheduleInform", id_header("15"), ScheduleInform{3600, "si-ck"});
    add("GetAllQueuedTransfers", id_header("16"), GetAllQueuedTransfers{});
    add("CancelTransfer", id_header("17"), CancelTransfer{"cancel-ck"});

    // CPE -> ACS responses
    add("GetRPCMethodsResponse", id_header("1"),
        GetRPCMethodsResponse{{"GetRPCMethods", "SetParameterValues", "GetParameterValues",
                               "GetParameterNames", "Reboot", "Download"}});
    add("SetParameterValuesResponse", id_header("2"), SetParameterValuesResponse{1});
    add("GetParameterValuesResponse", id_header("3"), GetParameterValuesResponse{some_values()});
    add("GetParameterValuesResponseEmpty", id_header("3b"), GetParameterValuesResponse{{}});
    add("GetParameterNamesResponse", id_header("5"),
        GetParameterNamesResponse{
            {{"Device.Services.", false}, {"Device.Services.VoiceService.", true}}});
    add("SetParameterAttributesResponse", id_header("7"), SetParameterAttributesResponse{});
    add("GetParameterAttributesResponse", id_header("8"),
        GetParameterAttributesResponse{{{"Device.ManagementServer.URL", 2, {"Subscriber"}},
                                        {"Device.DeviceInfo.UpTime", 0, {}}}});
    add("AddObjectResponse", id_header("9"), AddObjectResponse{17, 1});
    add("DeleteObjectResponse", id_header("10"), DeleteObjectResponse{1});
    add("RebootResponse", id_header("11"), RebootResponse{});
    add("FactoryResetResponse", id_header("12"), FactoryResetResponse{});
    add("DownloadResponse", id_header("13"),
        DownloadResponse{0, "2024-05-06T07:08:09Z", "2024-05-06T07:10:11Z"});
    add("UploadResponse", id_header("14"),
        UploadResponse{1, "0001-01-01T00:00:00Z", "2024-05-06T07:10:11.250+02:00"});
    add("ScheduleInformResponse", id_header("15"), ScheduleInformResponse{});
    add("GetAllQueuedTransfersResponse", id_header("16"),
        GetAllQueuedTransfersResponse{{{"ck1", 2, true, "1 Firmware Upgrade Image", 1000, "fw"},
                                       {"ck2", 1, false, "2 Vendor Log File", 0, ""}}});
    add("CancelTransferResponse", id_header("17"), CancelTransferResponse{});

    // CPE -> ACS requests and their responses
    add("Inform", full_header(),
        Inform{DeviceId{"Acme Phones & Co.", "00256D", "IP-Phone", "SN-000123"},
               {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}, {"M Download", "dl-ck"}},
               1,
               "2024-05-06T07:08:09Z",
               3,
               some_values()});
    add("InformNoHeader", Header{},
        Inform{DeviceId{"M", "ABCDEF", "P", "S"}, {}, 1, "0001-01-01T00:00:00Z", 0, {}});
    add("InformResponse", id_header("inform-1"), InformResponse{1});
    add("TransferComplete", id_header("tc-1"),
        TransferComplete{"dl-ck", FaultStruct{9010, "Download failed: 404"}, "2024-05-06T07:08:09Z",
                         "2024-05-06T07:09:00Z"});
    add("TransferCompleteNoFault", id_header("tc-2"),
        TransferComplete{"ul-ck", FaultStruct{0, ""}, "2024-05-06T07:08:09Z",
                         "2024-05-06T07:09:00Z"});
    add("TransferCompleteResponse", id_header("tc-1"), TransferCompleteResponse{});

    // Faults, from either side
    add("FaultSetParameterValues", id_header("2"),
        Fault{9003,
              "Invalid arguments",
              {{"Device.ManagementServer.PeriodicInformInterval", 9007, "Invalid parameter value"},
               {"Device.DeviceInfo.UpTime", 9008, "Attempt to set a non-writable parameter"}}});
    add("FaultMethodNotSupported", id_header("18"), Fault{9000, "Method not supported", {}});
    add("FaultAcs", id_header("19"), Fault{8005, "Retry request", {}});
    return samples;
}

}  // namespace cwmp::test
