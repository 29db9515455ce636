#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "datamodel/definitions.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::HasSubstr;

// Wraps parameter XML into a document with one object "Device.".
std::string document_with(const std::string& body, const std::string& data_types = "") {
    return R"(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">)" +
           data_types + R"(
  <model name="T:1.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
)" + body + R"(
    </object>
  </model>
</dm:document>)";
}

LoadError load_error(const std::string& xml, std::string_view name = "test.xml") {
    auto loaded = Definitions::load_string(xml, name);
    if (loaded) {
        ADD_FAILURE() << "expected a load error";
        return {};
    }
    return loaded.error();
}

TEST(DefinitionsLoader, LoadsObjectsAndParametersInDocumentOrder) {
    const auto definitions = test::test_definitions();
    ASSERT_EQ(definitions->objects().size(), 4u);
    EXPECT_EQ(definitions->objects()[0].path, "Device.");
    EXPECT_EQ(definitions->objects()[1].path, "Device.Test.");
    EXPECT_EQ(definitions->objects()[2].path, "Device.Test.Item.{i}.");
    EXPECT_EQ(definitions->objects()[3].path, "Device.Test.Item.{i}.Sub.{i}.");
    ASSERT_EQ(definitions->parameters().size(), 25u);
    EXPECT_EQ(definitions->parameters()[0].path, "Device.Version");
    EXPECT_EQ(definitions->parameters()[1].path, "Device.Test.Name");
    EXPECT_EQ(definitions->parameters().back().path, "Device.Test.Item.{i}.Sub.{i}.Pick");
    EXPECT_TRUE(definitions->skipped().empty());
    EXPECT_EQ(definitions->find_parameter("Device.Test.Nope"), nullptr);
    EXPECT_EQ(definitions->find_object("Device.Test.Item."), nullptr);
}

TEST(DefinitionsLoader, ParameterAttributes) {
    const auto definitions = test::test_definitions();
    const ParameterDefinition* name = definitions->find_parameter("Device.Test.Name");
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->access, Access::ReadWrite);
    EXPECT_EQ(name->factory_default, "phone");
    EXPECT_FALSE(name->object_default);

    const ParameterDefinition* status = definitions->find_parameter("Device.Test.Status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->access, Access::ReadOnly);

    const ParameterDefinition* alias = definitions->find_parameter("Device.Test.Item.{i}.Alias");
    ASSERT_NE(alias, nullptr);
    EXPECT_EQ(alias->access, Access::ReadWrite);
    EXPECT_TRUE(alias->write_once);

    const ParameterDefinition* enable = definitions->find_parameter("Device.Test.Item.{i}.Enable");
    ASSERT_NE(enable, nullptr);
    EXPECT_EQ(enable->object_default, "true");
    EXPECT_FALSE(enable->factory_default);

    const ParameterDefinition* secret = definitions->find_parameter("Device.Test.Secret");
    ASSERT_NE(secret, nullptr);
    EXPECT_TRUE(secret->syntax.hidden);
    EXPECT_FALSE(secret->syntax.command);

    const ParameterDefinition* reset = definitions->find_parameter("Device.Test.Reset");
    ASSERT_NE(reset, nullptr);
    EXPECT_TRUE(reset->syntax.command);
    EXPECT_TRUE(reset->syntax.hidden);
}

TEST(DefinitionsLoader, ForcedInformAndActiveNotify) {
    const auto definitions = Definitions::load_string(document_with(R"(
      <parameter name="A" access="readOnly" forcedInform="true" activeNotify="forceEnabled">
        <syntax><string/></syntax></parameter>
      <parameter name="B" access="readOnly" activeNotify="forceDefaultEnabled">
        <syntax><string/></syntax></parameter>
      <parameter name="C" access="readOnly" activeNotify="canDeny">
        <syntax><string/></syntax></parameter>
      <parameter name="D" access="readOnly"><syntax><string/></syntax></parameter>)"));
    ASSERT_TRUE(definitions) << definitions.error().message;
    EXPECT_TRUE(definitions->find_parameter("Device.A")->forced_inform);
    EXPECT_EQ(definitions->find_parameter("Device.A")->active_notify, ActiveNotify::ForceEnabled);
    EXPECT_EQ(definitions->find_parameter("Device.B")->active_notify,
              ActiveNotify::ForceDefaultEnabled);
    EXPECT_EQ(definitions->find_parameter("Device.C")->active_notify, ActiveNotify::CanDeny);
    EXPECT_FALSE(definitions->find_parameter("Device.D")->forced_inform);
    EXPECT_EQ(definitions->find_parameter("Device.D")->active_notify, ActiveNotify::Normal);
}

TEST(DefinitionsLoader, ObjectAttributes) {
    const auto definitions = test::test_definitions();
    const ObjectDefinition* test_object = definitions->find_object("Device.Test.");
    ASSERT_NE(test_object, nullptr);
    EXPECT_FALSE(test_object->multi_instance);
    EXPECT_EQ(test_object->access, Access::ReadOnly);
    EXPECT_EQ(test_object->max_entries, 1u);

    const ObjectDefinition* item = definitions->find_object("Device.Test.Item.{i}.");
    ASSERT_NE(item, nullptr);
    EXPECT_TRUE(item->multi_instance);
    EXPECT_EQ(item->access, Access::ReadWrite);
    EXPECT_EQ(item->min_entries, 0u);
    EXPECT_FALSE(item->max_entries);
    EXPECT_EQ(item->num_entries_parameter, "ItemNumberOfEntries");
    ASSERT_EQ(item->unique_keys.size(), 1u);
    EXPECT_FALSE(item->unique_keys[0].functional);
    EXPECT_EQ(item->unique_keys[0].parameters, std::vector<std::string>{"Alias"});

    const ObjectDefinition* sub = definitions->find_object("Device.Test.Item.{i}.Sub.{i}.");
    ASSERT_NE(sub, nullptr);
    EXPECT_EQ(sub->max_entries, 4u);
}

TEST(DefinitionsLoader, DataTypeReferencesResolveWithDerivedFacets) {
    const auto definitions = test::test_definitions();
    const Syntax& name = definitions->find_parameter("Device.Test.Name")->syntax;
    EXPECT_EQ(name.type, BaseType::String);
    EXPECT_EQ(name.data_type, "Text");
    EXPECT_EQ(name.max_length, 16u);

    // ShortText derives from Text and narrows its size.
    const Syntax& code = definitions->find_parameter("Device.Test.Code")->syntax;
    EXPECT_EQ(code.data_type, "ShortText");
    EXPECT_EQ(code.max_length, 4u);

    const Syntax& address = definitions->find_parameter("Device.Test.Address")->syntax;
    EXPECT_EQ(address.max_length, 15u);
    ASSERT_EQ(address.patterns.size(), 2u);
    EXPECT_EQ(address.patterns[0], "");

    // A list data type makes the parameter a list.
    const Syntax& range = definitions->find_parameter("Device.Test.Range")->syntax;
    EXPECT_TRUE(range.list);
    EXPECT_EQ(range.type, BaseType::UnsignedInt);
    EXPECT_EQ(range.list_min_items, 2u);
    EXPECT_EQ(range.list_max_items, 2u);
}

TEST(DefinitionsLoader, DataTypeReferenceAddsFacets) {
    const auto definitions = Definitions::load_string(document_with(
        R"(<parameter name="State" access="readWrite"><syntax>
             <dataType ref="State"><enumeration value="Error"/></dataType></syntax></parameter>
           <parameter name="Small" access="readWrite"><syntax>
             <dataType ref="Number"><range maxInclusive="9"/></dataType></syntax></parameter>)",
        R"(<dataType name="State"><string><enumeration value="None" access="readOnly"/>
             <enumeration value="Requested"/></string></dataType>
           <dataType name="Number"><unsignedInt><range minInclusive="1"/></unsignedInt></dataType>)"));
    ASSERT_TRUE(definitions) << definitions.error().message;
    const Syntax& state = definitions->find_parameter("Device.State")->syntax;
    EXPECT_EQ(state.enumeration, (std::vector<std::string>{"None", "Requested", "Error"}));
    EXPECT_EQ(state.read_only_enumeration, std::vector<std::string>{"None"});
    const Syntax& small = definitions->find_parameter("Device.Small")->syntax;
    ASSERT_EQ(small.ranges.size(), 1u);
    EXPECT_FALSE(small.ranges[0].min);
    EXPECT_EQ(small.ranges[0].max, 9);
}

TEST(DefinitionsLoader, FacetsOfEachKind) {
    const auto definitions = test::test_definitions();
    const Syntax& even = definitions->find_parameter("Device.Test.Even")->syntax;
    EXPECT_EQ(even.type, BaseType::Int);
    ASSERT_EQ(even.ranges.size(), 2u);
    EXPECT_EQ(even.ranges[0].min, -1);
    EXPECT_EQ(even.ranges[0].max, -1);
    EXPECT_EQ(even.ranges[1].step, 2u);

    const Syntax& mac = definitions->find_parameter("Device.Test.Mac")->syntax;
    EXPECT_EQ(mac.type, BaseType::HexBinary);
    ASSERT_EQ(mac.lengths.size(), 2u);
    EXPECT_EQ(mac.lengths[1].min, 6u);
    EXPECT_FALSE(mac.min_length);  // the envelope: 0..6
    EXPECT_EQ(mac.max_length, 6u);

    const Syntax& mode = definitions->find_parameter("Device.Test.Mode")->syntax;
    EXPECT_EQ(mode.enumeration, (std::vector<std::string>{"Auto", "Manual", "Failed"}));
    EXPECT_EQ(mode.read_only_enumeration, std::vector<std::string>{"Failed"});

    const Syntax& ports = definitions->find_parameter("Device.Test.Ports")->syntax;
    EXPECT_TRUE(ports.list);
    EXPECT_EQ(ports.list_max_items, 3u);
    EXPECT_EQ(ports.list_max_length, 20u);
    ASSERT_EQ(ports.ranges.size(), 1u);
    EXPECT_EQ(ports.ranges[0].max, 65535);

    const Syntax& chosen = definitions->find_parameter("Device.Test.Chosen")->syntax;
    ASSERT_TRUE(chosen.enumeration_ref);
    EXPECT_EQ(chosen.enumeration_ref->target, "Supported");
    EXPECT_EQ(chosen.enumeration_ref->null_value, "None");

    EXPECT_EQ(definitions->find_parameter("Device.Test.Blob")->syntax.type, BaseType::Base64);
    EXPECT_EQ(definitions->find_parameter("Device.Test.When")->syntax.type, BaseType::DateTime);
    EXPECT_EQ(definitions->find_parameter("Device.Test.Big")->syntax.type, BaseType::UnsignedLong);
    EXPECT_EQ(definitions->find_parameter("Device.Test.Signed")->syntax.type, BaseType::Long);
    EXPECT_EQ(definitions->find_parameter("Device.Test.Flag")->syntax.type, BaseType::Boolean);
}

TEST(DefinitionsLoader, DocumentationAndProfilesAreIgnored) {
    const auto definitions = Definitions::load_string(R"(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">
  <description>About this file.</description>
  <import file="tr-106-types.xml"><dataType name="Unused"/></import>
  <template id="t">text</template>
  <bibliography><reference id="X"><name>X</name></reference></bibliography>
  <model name="T:1.0">
    <description>The model.</description>
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1" version="2.0">
      <description>Root.</description>
      <parameter name="P" access="readOnly" version="2.1">
        <description>A value.</description>
        <syntax><unsignedInt><units value="seconds"/></unsignedInt></syntax>
      </parameter>
    </object>
    <profile name="Baseline:1"><object ref="Device." requirement="present"/></profile>
  </model>
</dm:document>)");
    ASSERT_TRUE(definitions) << definitions.error().message;
    EXPECT_EQ(definitions->parameters().size(), 1u);
}

TEST(DefinitionsLoader, DeletedItemsAndDecimalParametersAreSkippedWithAReason) {
    const auto definitions = Definitions::load_string(document_with(R"(
      <parameter name="Kept" access="readOnly"><syntax><string/></syntax></parameter>
      <parameter name="Gone" access="readOnly" status="deleted"><syntax><string/></syntax></parameter>
      <parameter name="Ratio" access="readOnly"><syntax><decimal/></syntax></parameter>)"));
    ASSERT_TRUE(definitions) << definitions.error().message;
    EXPECT_NE(definitions->find_parameter("Device.Kept"), nullptr);
    EXPECT_EQ(definitions->find_parameter("Device.Gone"), nullptr);
    EXPECT_EQ(definitions->find_parameter("Device.Ratio"), nullptr);
    ASSERT_EQ(definitions->skipped().size(), 2u);
    EXPECT_EQ(definitions->skipped()[0].path, "Device.Gone");
    EXPECT_THAT(definitions->skipped()[0].reason, HasSubstr("deleted"));
    EXPECT_EQ(definitions->skipped()[1].path, "Device.Ratio");
    EXPECT_THAT(definitions->skipped()[1].reason, HasSubstr("decimal"));
}

TEST(DefinitionsLoader, MalformedXmlNamesTheFileAndLine) {
    const LoadError error =
        load_error("<?xml version=\"1.0\"?>\n<document>\n  <model name=\"x\"\n", "broken.xml");
    EXPECT_EQ(error.file, "broken.xml");
    EXPECT_THAT(error.message, HasSubstr("malformed XML"));
    EXPECT_THAT(error.message, HasSubstr("line "));
}

TEST(DefinitionsLoader, UnknownTypeIsAnErrorNamingTheElement) {
    const LoadError error = load_error(document_with(
        R"(<parameter name="P" access="readOnly"><syntax><float/></syntax></parameter>)"));
    EXPECT_EQ(error.file, "test.xml");
    EXPECT_THAT(error.message, HasSubstr("unknown type <float>"));
    EXPECT_THAT(error.message, HasSubstr("line 5"));
}

TEST(DefinitionsLoader, UnknownDataTypeReferenceIsAnError) {
    const LoadError error = load_error(document_with(
        R"(<parameter name="P" access="readOnly"><syntax><dataType ref="Nope"/></syntax></parameter>)"));
    EXPECT_THAT(error.message, HasSubstr("unknown dataType 'Nope'"));
}

TEST(DefinitionsLoader, CircularDataTypesAreAnError) {
    const LoadError error = load_error(
        document_with("", R"(<dataType name="A" base="B"/><dataType name="B" base="A"/>)"));
    EXPECT_THAT(error.message, HasSubstr("in terms of itself"));
}

TEST(DefinitionsLoader, FacetOnTheWrongTypeIsAnError) {
    const LoadError error = load_error(document_with(
        R"(<parameter name="P" access="readOnly"><syntax><string><range minInclusive="1"/></string></syntax></parameter>)"));
    EXPECT_THAT(error.message, HasSubstr("<range> does not apply"));
}

TEST(DefinitionsLoader, UnknownElementsAreErrors) {
    EXPECT_THAT(load_error(document_with(R"(<gadget/>)")).message,
                HasSubstr("unsupported element in <object>"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readOnly"><syntax><string><colour value="red"/></string></syntax></parameter>)"))
            .message,
        HasSubstr("unknown facet <colour>"));
}

TEST(DefinitionsLoader, DefaultThatBreaksTheSyntaxIsAnError) {
    const LoadError error = load_error(document_with(
        R"(<parameter name="P" access="readOnly"><syntax><unsignedInt><range maxInclusive="5"/></unsignedInt>
             <default type="factory" value="6"/></syntax></parameter>)"));
    EXPECT_THAT(error.message, HasSubstr("default value '6'"));
}

TEST(DefinitionsLoader, FacetsThatAdmitNoValueAreErrors) {
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readWrite"><syntax><int><range minInclusive="10" maxInclusive="-3"/></int></syntax></parameter>)"))
            .message,
        HasSubstr("range minInclusive 10 is greater than maxInclusive -3"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readWrite"><syntax><string><size minLength="8" maxLength="4"/></string></syntax></parameter>)"))
            .message,
        HasSubstr("size minLength 8 is greater than maxLength 4"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readWrite"><syntax><list><size minLength="3" maxLength="2"/></list><string/></syntax></parameter>)"))
            .message,
        HasSubstr("size minLength 3 is greater than maxLength 2"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readWrite"><syntax><list minItems="4" maxItems="2"/><string/></syntax></parameter>)"))
            .message,
        HasSubstr("list minItems 4 is greater than maxItems 2"));
    // Equal bounds admit exactly one value and load.
    EXPECT_TRUE(Definitions::load_string(
        document_with(
            R"(<parameter name="P" access="readWrite"><syntax><unsignedInt><range minInclusive="7" maxInclusive="7"/></unsignedInt></syntax></parameter>)"),
        "test.xml"));
}

TEST(DefinitionsLoader, BadAttributesAreErrors) {
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="sometimes"><syntax><string/></syntax></parameter>)"))
            .message,
        HasSubstr("unknown parameter access"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readOnly" forcedInform="maybe"><syntax><string/></syntax></parameter>)"))
            .message,
        HasSubstr("not a boolean"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readOnly"><syntax><string><size maxLength="-3"/></string></syntax></parameter>)"))
            .message,
        HasSubstr("maxLength"));
    EXPECT_THAT(load_error(document_with(R"(<parameter name="P" access="readOnly"/>)")).message,
                HasSubstr("no <syntax>"));
}

TEST(DefinitionsLoader, TableNamesMustMatchTheirEntries) {
    const std::string xml = R"(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15"><model name="T:1.0">
  <object name="Device.Things." access="readWrite" minEntries="0" maxEntries="unbounded"/>
</model></dm:document>)";
    EXPECT_THAT(load_error(xml).message, HasSubstr("must have a name ending in {i}."));
}

TEST(DefinitionsLoader, DuplicatesAreErrors) {
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readOnly"><syntax><string/></syntax></parameter>
             <parameter name="P" access="readOnly"><syntax><string/></syntax></parameter>)"))
            .message,
        HasSubstr("defined twice"));
}

TEST(DefinitionsLoader, ComponentsAndModificationsAreRefused) {
    const std::string component = R"(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15"><model name="T:1.0">
  <component ref="Something"/>
</model></dm:document>)";
    EXPECT_THAT(load_error(component).message, HasSubstr("component references are not supported"));
    const std::string modification = R"(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15"><model name="T:1.1">
  <object base="Device." access="readOnly" minEntries="1" maxEntries="1"/>
</model></dm:document>)";
    EXPECT_THAT(load_error(modification).message, HasSubstr("(base=) are not supported"));
}

TEST(DefinitionsLoader, PatternsNeedingUnsupportedRegexFeaturesAreRefused) {
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readOnly"><syntax><string><pattern value="\p{L}+"/></string></syntax></parameter>)"))
            .message,
        HasSubstr("\\p"));
    EXPECT_THAT(
        load_error(
            document_with(
                R"(<parameter name="P" access="readOnly"><syntax><string><pattern value="[a-z-[aeiou]]"/></string></syntax></parameter>)"))
            .message,
        HasSubstr("subtraction"));
}

TEST(DefinitionsLoader, RootMustBeADocument) {
    EXPECT_THAT(load_error("<model name=\"x\"/>").message, HasSubstr("<document>"));
    EXPECT_THAT(
        load_error(R"(<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-15"/>)").message,
        HasSubstr("no <model>"));
}

TEST(DefinitionsLoader, LoadFileReportsTheFileName) {
    const test::TempDir dir;
    const auto missing = Definitions::load_file(dir.path() / "missing.xml");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().file, (dir.path() / "missing.xml").string());
    EXPECT_THAT(missing.error().message, HasSubstr("cannot open"));

    const auto broken_file = dir.path() / "broken.xml";
    std::ofstream(broken_file) << document_with(
        R"(<parameter name="P" access="readOnly"><syntax><float/></syntax></parameter>)");
    const auto broken = Definitions::load_file(broken_file);
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().file, broken_file.string());

    const auto good_file = dir.path() / "good.xml";
    std::ofstream(good_file) << test::kTestModel;
    const auto good = Definitions::load_file(good_file);
    ASSERT_TRUE(good) << good.error().message;
    EXPECT_EQ(good->parameters().size(), 25u);
}

}  // namespace
}  // namespace datamodel
