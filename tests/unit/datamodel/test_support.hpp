// Shared helpers of the datamodel tests: a small definitions document that
// exercises every supported feature, temporary store folders, and the
// location of the BBF reference files.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "datamodel/definitions.hpp"

namespace datamodel::test {

// A model with one parameter of each type and facet, a data type derived
// from another, a hidden parameter, and a two-level table.
inline constexpr const char* kTestModel = R"xml(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">
  <dataType name="Text">
    <string><size maxLength="16"/></string>
  </dataType>
  <dataType name="ShortText" base="Text">
    <size maxLength="4"/>
  </dataType>
  <dataType name="Ip4">
    <string>
      <size maxLength="15"/>
      <pattern value=""/>
      <pattern value="((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])"/>
    </string>
  </dataType>
  <dataType name="Pair">
    <list minItems="2" maxItems="2"/>
    <unsignedInt/>
  </dataType>
  <model name="Test:1.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="Version" access="readOnly">
        <syntax><string/><default type="factory" value="1.0"/></syntax>
      </parameter>
    </object>
    <object name="Device.Test." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="Name" access="readWrite">
        <syntax><dataType ref="Text"/><default type="factory" value="phone"/></syntax>
      </parameter>
      <parameter name="Code" access="readWrite">
        <syntax><dataType ref="ShortText"/></syntax>
      </parameter>
      <parameter name="Secret" access="readWrite">
        <syntax hidden="true"><string><size maxLength="8"/></string>
          <default type="factory" value="s3cret"/></syntax>
      </parameter>
      <parameter name="Count" access="readWrite">
        <syntax><unsignedInt><range minInclusive="1" maxInclusive="100"/></unsignedInt>
          <default type="factory" value="10"/></syntax>
      </parameter>
      <parameter name="Even" access="readWrite">
        <syntax><int><range minInclusive="-1" maxInclusive="-1"/>
          <range minInclusive="0" maxInclusive="10" step="2"/></int></syntax>
      </parameter>
      <parameter name="Big" access="readWrite">
        <syntax><unsignedLong/></syntax>
      </parameter>
      <parameter name="Signed" access="readWrite">
        <syntax><long/></syntax>
      </parameter>
      <parameter name="Flag" access="readWrite">
        <syntax><boolean/></syntax>
      </parameter>
      <parameter name="When" access="readWrite">
        <syntax><dateTime/></syntax>
      </parameter>
      <parameter name="Blob" access="readWrite">
        <syntax><base64><size maxLength="3"/></base64></syntax>
      </parameter>
      <parameter name="Mac" access="readWrite">
        <syntax><hexBinary><size minLength="0" maxLength="0"/><size minLength="6" maxLength="6"/></hexBinary></syntax>
      </parameter>
      <parameter name="Mode" access="readWrite">
        <syntax><string><enumeration value="Auto"/><enumeration value="Manual"/>
          <enumeration value="Failed" access="readOnly"/></string>
          <default type="factory" value="Auto"/></syntax>
      </parameter>
      <parameter name="Address" access="readWrite">
        <syntax><dataType ref="Ip4"/></syntax>
      </parameter>
      <parameter name="Ports" access="readWrite">
        <syntax><list maxItems="3"><size maxLength="20"/></list>
          <unsignedInt><range maxInclusive="65535"/></unsignedInt></syntax>
      </parameter>
      <parameter name="Range" access="readWrite">
        <syntax><dataType ref="Pair"/><default type="factory" value="1,2"/></syntax>
      </parameter>
      <parameter name="Supported" access="readOnly">
        <syntax><list/><string><enumeration value="A"/><enumeration value="B"/>
          <enumeration value="C"/></string><default type="factory" value="A,B"/></syntax>
      </parameter>
      <parameter name="Chosen" access="readWrite">
        <syntax><string><enumerationRef targetParam="Supported" nullValue="None"/></string>
          <default type="factory" value="None"/></syntax>
      </parameter>
      <parameter name="Status" access="readOnly">
        <syntax><string/><default type="factory" value="Up"/></syntax>
      </parameter>
      <parameter name="Reset" access="readWrite">
        <syntax command="true"><boolean/></syntax>
      </parameter>
      <parameter name="ItemNumberOfEntries" access="readOnly">
        <syntax><unsignedInt/></syntax>
      </parameter>
    </object>
    <object name="Device.Test.Item.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
            numEntriesParameter="ItemNumberOfEntries">
      <uniqueKey functional="false"><parameter ref="Alias"/></uniqueKey>
      <parameter name="Alias" access="writeOnceReadOnly">
        <syntax><dataType ref="Text"/></syntax>
      </parameter>
      <parameter name="Enable" access="readWrite">
        <syntax><boolean/><default type="object" value="true"/></syntax>
      </parameter>
    </object>
    <object name="Device.Test.Item.{i}.Sub.{i}." access="readOnly" minEntries="0" maxEntries="4">
      <parameter name="Level" access="readOnly">
        <syntax><int/></syntax>
      </parameter>
      <parameter name="Pick" access="readWrite">
        <syntax><string><enumerationRef targetParam="##.Supported"/></string></syntax>
      </parameter>
    </object>
  </model>
</dm:document>
)xml";

inline std::shared_ptr<const Definitions> test_definitions() {
    auto loaded = Definitions::load_string(kTestModel, "test-model");
    if (!loaded) {
        ADD_FAILURE() << loaded.error().file << ": " << loaded.error().message;
        return std::make_shared<const Definitions>();
    }
    return std::make_shared<const Definitions>(std::move(*loaded));
}

// A fresh, uniquely named folder under /tmp, removed with everything in it.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = info ? info->name() : "x";
        for (char& c : name) {
            if (c == '/') c = '_';
        }
        path_ = std::filesystem::temp_directory_path() /
                ("phonecwmp-datamodel-" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter++) + "-" + name);
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Runs SQL statements directly on a store file, as another program would.
inline void run_sql(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << text;
}

// The first column of the first row a query returns, "<no row>" if none.
inline std::string query_text(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    std::string result = "<no row>";
    if (sqlite3_open(file.c_str(), &db) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(statement, 0);
            result = text ? std::string(reinterpret_cast<const char*>(text)) : "";
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return result;
}

// The BBF reference folder (../shared/reference/bbf), if present.
inline std::optional<std::filesystem::path> bbf_dir() {
    const char* shared = std::getenv("PHONECWMP_SHARED_DIR");
    if (!shared || !*shared) return std::nullopt;
    const std::filesystem::path dir = std::filesystem::path(shared) / "reference" / "bbf";
    if (!std::filesystem::exists(dir / "tr-181-2-17-0-cwmp-full.xml")) return std::nullopt;
    return dir;
}

}  // namespace datamodel::test
