#include "core/convert/yaml_writer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/parse/document.hpp"

namespace flow::core::convert {
namespace {

// What flowtest's loader reads back from the written text.
Value ReadBack(const std::string& yaml) {
  Result<Document> doc = ParseDocument(yaml, "out.yaml");
  EXPECT_TRUE(doc) << doc.error().message << "\n" << yaml;
  return doc ? doc->root : Value();
}

void ExpectRoundTrip(const Value& value) {
  const std::string yaml = WriteYaml(value);
  const Value back = ReadBack(yaml);
  EXPECT_TRUE(DeepEqual(back, value)) << "written:\n" << yaml << "read back: " << DumpJson(back);
  // Key order is kept too.
  EXPECT_EQ(DumpJson(back), DumpJson(value)) << yaml;
}

TEST(YamlWriter, WritesReadableBlockYaml) {
  const Value suite = Value::parse(R"({
    "suite_name": "Pets", "node_id": "pets",
    "variables": {"petId": 42, "empty": {}, "none": []},
    "steps": [{"name": "Get a pet", "request": {"method": "GET", "url": "/pets/{{petId}}"},
               "assert": {"status_code": 200}}]})");
  EXPECT_EQ(WriteYaml(suite),
            "suite_name: Pets\n"
            "node_id: pets\n"
            "variables: {petId: 42, empty: {}, none: []}\n"
            "steps:\n"
            "  - name: Get a pet\n"
            "    request: {method: GET, url: \"/pets/{{petId}}\"}\n"
            "    assert: {status_code: 200}\n");
  // Longer or deeper values stay blocks.
  Value big = Value::object();
  big["headers"] = Value{{"Authorization", std::string(80, 'x')}};
  big["tags"] = Value::parse(R"({"list": [1, 2], "deep": {"a": [1]}})");
  big["depends"] = Value::parse(R"([{"node_id": "auth"}])");
  EXPECT_EQ(WriteYaml(big),
            "headers:\n"
            "  Authorization: " +
                std::string(80, 'x') +
                "\n"
                "tags:\n"
                "  list: [1, 2]\n"
                "  deep: {a: [1]}\n"
                "depends:\n"
                "  - node_id: auth\n");
  ExpectRoundTrip(big);
  ExpectRoundTrip(suite);
}

TEST(YamlWriter, QuotesEveryStringYamlWouldTypeOrMisread) {
  for (const char* text : {"yes",
                           "no",
                           "on",
                           "true",
                           "null",
                           "~",
                           "1",
                           "1.5",
                           "0x1F",
                           "1e3",
                           ".inf",
                           "-.nan",
                           "",
                           " lead",
                           "trail ",
                           "a: b",
                           "a #b",
                           "#x",
                           "- x",
                           "-",
                           "?",
                           "[a]",
                           "{a}",
                           "{{token}}",
                           "Bearer {{token}}",
                           "@x",
                           "`x`",
                           "'q'",
                           "\"q\"",
                           "&a",
                           "*a",
                           "!tag",
                           "|",
                           ">",
                           "%x",
                           "a\tb",
                           "line\r\nnext",
                           "\x01control",
                           "caf\xC3\xA9",
                           "\xE2\x80\xA8sep",
                           "bad\xFFutf8",
                           "2024-01-01",
                           "12:30",
                           "a  b",
                           "C:\\path",
                           "x,y"}) {
    const std::string scalar = YamlScalar(text);
    const Value back = ReadBack("k: " + scalar + "\n");
    ASSERT_TRUE(back.is_object()) << text;
    const std::string expected =
        std::string(text) == "bad\xFFutf8" ? std::string("bad\xEF\xBF\xBDutf8") : std::string(text);
    EXPECT_EQ(back["k"], Value(expected)) << "scalar written: " << scalar;
  }
  EXPECT_EQ(YamlScalar("application/json"), "application/json");
  EXPECT_EQ(YamlScalar("Get all pets (v2)"), "Get all pets (v2)");
  EXPECT_EQ(YamlScalar("yes"), "\"yes\"");
}

TEST(YamlWriter, MultiLineTextBecomesALiteralBlockThatReadsBackExactly) {
  for (const char* text : {"a\nb", "a\nb\n", "a\nb\n\n\n", "pm.test(1);\n  indented\n\nend\n",
                           "tab\there\nnext", "# not a comment\n- not a list\n"}) {
    ExpectRoundTrip(Value{{"script", text}, {"after", 1}});
    ExpectRoundTrip(Value{{"list", Value::array({text, "x"})}});
  }
  EXPECT_NE(WriteYaml(Value{{"s", "a\nb\n"}}).find("s: |\n  a\n  b\n"), std::string::npos);
  // Text a block cannot hold exactly falls back to a quoted string.
  ExpectRoundTrip(Value{{"s", " leading space\nx"}});
  ExpectRoundTrip(Value{{"s", "x\n   \ny"}});
  ExpectRoundTrip(Value{{"s", "\nfirst empty"}});
}

TEST(YamlWriter, NestedListsAndMapsInLists) {
  ExpectRoundTrip(Value::parse(R"({"a": [[1, [2, []]], {"b": {"c": [{"d": null}]}}, {}, []],
                                   "odd keys": {"200": 1, "yes": 2, "a:b": 3, "": 4, "{{x}}": 5}})"));
}

TEST(YamlWriter, CommentsGoBeforeTheirEntries) {
  YamlWriteOptions options;
  options.header = {"Imported from spec.yaml.", "Second line."};
  options.comments["/steps/1"] = {"not converted:", "pm.expect(x).to.be.ok;"};
  options.comments["/variables/token"] = {"set by the login step"};
  const Value value = Value::parse(R"({"variables": {"a": 1, "token": ""},
                                       "steps": [{"name": "one"}, {"name": "two"}]})");
  const std::string yaml = WriteYaml(value, options);
  EXPECT_EQ(yaml,
            "# Imported from spec.yaml.\n"
            "# Second line.\n"
            "variables:\n"
            "  a: 1\n"
            "  # set by the login step\n"
            "  token: \"\"\n"
            "steps:\n"
            "  - name: one\n"
            "  # not converted:\n"
            "  # pm.expect(x).to.be.ok;\n"
            "  - name: two\n");
  EXPECT_TRUE(DeepEqual(ReadBack(yaml), value));
}

// Random values of every shape and awkward strings read back as written.
TEST(YamlWriter, RandomValuesRoundTrip) {
  std::mt19937 random(20261204);
  const std::vector<std::string> pieces = {
      "a",  "Z",  "0",   "1",    " ", ":", "#", "-",    "{", "}", "{{", "}}", "'", "\"", "\\",
      "\n", "\t", "yes", "null", ".", "é", "✓", "\x7f", "[", "]", ",",  "&",  "*", "!",  "|"};
  const auto text = [&] {
    std::string s;
    const int n = static_cast<int>(random() % 6);
    for (int i = 0; i < n; ++i) s += pieces[random() % pieces.size()];
    return s;
  };
  std::function<Value(int)> make = [&](int depth) -> Value {
    switch (depth > 3 ? random() % 4 : random() % 6) {
      case 0:
        return Value(text());
      case 1:
        return Value(static_cast<std::int64_t>(random() % 2000) - 1000);
      case 2:
        return Value(static_cast<double>(random() % 1000) / 8.0);
      case 3:
        return random() % 2 ? Value(true) : Value(nullptr);
      case 4: {
        Value object = Value::object();
        for (int i = static_cast<int>(random() % 4); i > 0; --i) object[text()] = make(depth + 1);
        return object;
      }
      default: {
        Value array = Value::array();
        for (int i = static_cast<int>(random() % 4); i > 0; --i) array.push_back(make(depth + 1));
        return array;
      }
    }
  };
  for (int i = 0; i < 400; ++i) {
    Value value = Value::object();
    value["root"] = make(0);
    ExpectRoundTrip(value);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace flow::core::convert
